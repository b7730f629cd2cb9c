//! `hexdump -C`'s canonical layout (offset, 16 bytes in hex, the printable ones as text, a
//! run of identical lines as `*`, the length at the end): how the console shows the binary
//! output of `etcdctl -w protobuf`, and what the node shell's `hexdump`/`hd` print.
//!
//! Owns: the dump layout. Must not touch: where the bytes come from.

pub fn printable(b: u8) -> char {
    if (0x20..0x7f).contains(&b) {
        b as char
    } else {
        '.'
    }
}

/// The 16-byte lines of a dump, a run of identical full lines shown once and then `*`, and
/// the length at the end; `line` writes one line from its offset.
pub fn dump_lines(
    data: &[u8],
    out: &mut String,
    end: &str,
    line: impl Fn(usize, &[u8], &mut String),
) {
    let mut prev: Option<&[u8]> = None;
    let mut starred = false;
    for (k, chunk) in data.chunks(16).enumerate() {
        if chunk.len() == 16 && prev == Some(chunk) {
            if !starred {
                out.push_str("*\n");
                starred = true;
            }
            continue;
        }
        starred = false;
        prev = Some(chunk);
        line(k * 16, chunk, out);
    }
    if !data.is_empty() {
        out.push_str(end);
    }
}

/// `hexdump -C` / `hd`: canonical hex+ASCII.
pub fn canonical(data: &[u8], out: &mut String) {
    let end = format!("{:08x}\n", data.len());
    dump_lines(data, out, &end, canonical_line);
}

/// One line of the canonical layout: offset, up to 16 bytes in hex, the printable ones.
fn canonical_line(at: usize, line: &[u8], out: &mut String) {
    out.push_str(&format!("{at:08x}  "));
    for i in 0..16 {
        match line.get(i) {
            Some(b) => out.push_str(&format!("{b:02x} ")),
            None => out.push_str("   "),
        }
        if i == 7 {
            out.push(' ');
        }
    }
    out.push_str(" |");
    out.extend(line.iter().map(|b| printable(*b)));
    out.push_str("|\n");
}

/// A canonical dump written as the bytes come (a response of any size is dumped without
/// holding it whole). Once `stdout` keeps no more, the lines are only counted.
#[derive(Default)]
pub struct Stream {
    start: usize,
    at: usize,
    line: Vec<u8>,
    prev: Option<Vec<u8>>,
    starred: bool,
}

impl Stream {
    /// A dump that goes on from `start` bytes already dumped.
    pub fn from(start: usize) -> Stream {
        Stream {
            start,
            at: start,
            ..Default::default()
        }
    }

    pub fn feed(&mut self, io: &mut super::Io, bytes: &[u8]) {
        for chunk in bytes.chunks(16) {
            let room = 16 - self.line.len();
            let (now, later) = chunk.split_at(room.min(chunk.len()));
            self.line.extend_from_slice(now);
            if self.line.len() == 16 {
                self.flush(io);
            }
            self.line.extend_from_slice(later);
        }
    }

    fn flush(&mut self, io: &mut super::Io) {
        let full = self.line.len() == 16;
        if full && self.prev.as_deref() == Some(&self.line[..]) {
            if !self.starred {
                io.out("*\n");
                self.starred = true;
            }
        } else {
            self.starred = false;
            if io.stdout_full() {
                // the line's length: offset, 16 hex columns, the printable ones
                io.skipped[0] += 63 + self.line.len();
            } else {
                let mut text = String::new();
                canonical_line(self.at, &self.line, &mut text);
                io.out(&text);
            }
            if full {
                self.prev = Some(self.line.clone());
            }
        }
        self.at += self.line.len();
        self.line.clear();
    }

    /// Ends the dump (the last partial line, the length); returns the bytes dumped in all.
    pub fn finish(mut self, io: &mut super::Io) -> usize {
        if !self.line.is_empty() {
            self.flush(io);
        }
        if self.at > self.start {
            io.out(&format!("{:08x}\n", self.at));
        }
        self.at
    }
}

#[cfg(test)]
mod tests {
    use super::{canonical, Stream};
    use crate::etcdctl::Io;

    #[test]
    fn a_stream_dumps_as_the_whole_does_however_the_bytes_come() {
        let mut data: Vec<u8> = (0..=255u8).collect();
        data.extend(std::iter::repeat_n(b'a', 100));
        data.extend(b"tail%\x00\xff");
        let mut want = String::new();
        canonical(&data, &mut want);
        for piece in [1, 3, 7, 16, 17, 64, 1000] {
            let mut io = Io::default();
            let mut d = Stream::from(0);
            for c in data.chunks(piece) {
                d.feed(&mut io, c);
            }
            assert_eq!(d.finish(&mut io), data.len());
            assert_eq!(io.stdout, want, "pieces of {piece}");
        }
        assert!(want.contains("*\n"));
        let mut io = Io::default();
        Stream::from(0).finish(&mut io);
        assert_eq!(io.stdout, "");
    }

    #[test]
    fn past_the_limit_lines_are_counted_not_kept() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let mut want = String::new();
        canonical(&data, &mut want);
        let mut io = Io {
            limit: Some(1000),
            ..Default::default()
        };
        let mut d = Stream::from(0);
        d.feed(&mut io, &data);
        d.finish(&mut io);
        assert!(io.stdout.len() < 1100);
        assert!(want.starts_with(&io.stdout));
        // the end line is counted too once stdout is full
        assert_eq!(io.stdout.len() + io.skipped[0], want.len());
    }
}
