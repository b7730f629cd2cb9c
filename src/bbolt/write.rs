//! Writing a database: every bucket's pairs sorted into full leaf pages (the layout a
//! defragmented etcd backend has), branch pages above them, small buckets inline in their
//! parent as bbolt keeps them, the two meta pages last. Free pages can be added at the end so
//! the file has the size the member reports (`endpoint status` DB SIZE): etcd's snapshot is a
//! copy of its whole file, free pages included.

use super::*;

/// One bucket: a name and its key-value pairs, held in one buffer.
#[derive(Clone, Debug, Default)]
pub struct Bucket {
    pub name: Vec<u8>,
    data: Vec<u8>,
    /// Each pair's (key end, value end) in `data`; the key starts where the previous value
    /// ended.
    ends: Vec<(usize, usize)>,
}

impl Bucket {
    pub fn new(name: &str) -> Self {
        Bucket {
            name: name.as_bytes().to_vec(),
            ..Bucket::default()
        }
    }

    /// A bucket with room for `pairs` pairs of `bytes` bytes in all.
    pub fn with_capacity(name: &str, pairs: usize, bytes: usize) -> Self {
        Bucket {
            name: name.as_bytes().to_vec(),
            data: Vec::with_capacity(bytes),
            ends: Vec::with_capacity(pairs),
        }
    }

    /// Adds a pair (in any order: the writer sorts; a key given twice keeps its last value).
    pub fn put(&mut self, key: &[u8], value: &[u8]) {
        self.data.extend_from_slice(key);
        let k = self.data.len();
        self.data.extend_from_slice(value);
        self.ends.push((k, self.data.len()));
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn pair(&self, i: usize) -> (&[u8], &[u8]) {
        let start = if i == 0 { 0 } else { self.ends[i - 1].1 };
        let (k, v) = self.ends[i];
        (&self.data[start..k], &self.data[k..v])
    }

    /// The pairs in key order, one per key.
    fn sorted(&self) -> Vec<(&[u8], &[u8])> {
        let mut pairs: Vec<(&[u8], &[u8])> = (0..self.len()).map(|i| self.pair(i)).collect();
        if !pairs.windows(2).all(|w| w[0].0 < w[1].0) {
            // stable: of equal keys the last put comes last, and is the one kept
            crate::sort::sort_by(&mut pairs, |a, b| a.0.cmp(b.0));
            let mut kept: Vec<(&[u8], &[u8])> = Vec::with_capacity(pairs.len());
            for p in pairs {
                match kept.last_mut() {
                    Some(last) if last.0 == p.0 => *last = p,
                    _ => kept.push(p),
                }
            }
            pairs = kept;
        }
        pairs
    }
}

/// A leaf element to write.
struct Elem<'a> {
    flags: u32,
    key: &'a [u8],
    value: &'a [u8],
}

/// The file being written: whole pages, ids in order. A first pass only counts the pages
/// (`buf` None), so the second writes into a buffer of the exact size.
struct Out {
    buf: Option<Vec<u8>>,
    pages: u64,
}

impl Out {
    /// Appends a page of `size` bytes (header included; `fill` writes them after the first
    /// 16), padded to whole pages; returns its id.
    fn page(
        &mut self,
        flags: u16,
        count: usize,
        size: usize,
        fill: impl FnOnce(&mut Vec<u8>),
    ) -> u64 {
        let id = self.pages;
        let pages = size.div_ceil(PAGE_SIZE).max(1);
        self.pages += pages as u64;
        if let Some(buf) = self.buf.as_mut() {
            let start = buf.len();
            buf.extend_from_slice(&id.to_le_bytes());
            buf.extend_from_slice(&flags.to_le_bytes());
            buf.extend_from_slice(&(count as u16).to_le_bytes());
            buf.extend_from_slice(&((pages - 1) as u32).to_le_bytes());
            fill(buf);
            buf.resize(start + pages * PAGE_SIZE, 0);
        }
        id
    }
}

/// A leaf page's elements and data (after its header).
fn leaf_body(b: &mut Vec<u8>, elems: &[Elem<'_>]) {
    let mut data = PAGE_HEADER + ELEMENT * elems.len();
    for (i, e) in elems.iter().enumerate() {
        let at = PAGE_HEADER + ELEMENT * i;
        b.extend_from_slice(&e.flags.to_le_bytes());
        b.extend_from_slice(&((data - at) as u32).to_le_bytes());
        b.extend_from_slice(&(e.key.len() as u32).to_le_bytes());
        b.extend_from_slice(&(e.value.len() as u32).to_le_bytes());
        data += e.key.len() + e.value.len();
    }
    for e in elems {
        b.extend_from_slice(e.key);
        b.extend_from_slice(e.value);
    }
}

fn leaf_size(elems: &[Elem<'_>]) -> usize {
    PAGE_HEADER
        + elems
            .iter()
            .map(|e| ELEMENT + e.key.len() + e.value.len())
            .sum::<usize>()
}

/// A branch page's elements and keys over `children` (first key, page id).
fn branch_body(b: &mut Vec<u8>, children: &[(&[u8], u64)]) {
    let mut data = PAGE_HEADER + ELEMENT * children.len();
    for (i, (k, id)) in children.iter().enumerate() {
        let at = PAGE_HEADER + ELEMENT * i;
        b.extend_from_slice(&((data - at) as u32).to_le_bytes());
        b.extend_from_slice(&(k.len() as u32).to_le_bytes());
        b.extend_from_slice(&id.to_le_bytes());
        data += k.len();
    }
    for (k, _) in children {
        b.extend_from_slice(k);
    }
}

/// Splits `sizes` into runs that fit a page (at least one element a run).
fn runs(sizes: impl Iterator<Item = usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut used, mut i) = (0, PAGE_HEADER, 0);
    for s in sizes {
        if i > start && used + s > PAGE_SIZE {
            out.push(start..i);
            start = i;
            used = PAGE_HEADER;
        }
        used += s;
        i += 1;
    }
    if i > start || out.is_empty() {
        out.push(start..i);
    }
    out
}

/// Writes a B+tree of `elems` (sorted); returns its root page.
fn tree(out: &mut Out, elems: &[Elem<'_>]) -> u64 {
    let mut level: Vec<(&[u8], u64)> =
        runs(elems.iter().map(|e| ELEMENT + e.key.len() + e.value.len()))
            .into_iter()
            .map(|r| {
                let first = elems.get(r.start).map_or(&[][..], |e| e.key);
                let run = &elems[r];
                (
                    first,
                    out.page(LEAF_PAGE, run.len(), leaf_size(run), |b| leaf_body(b, run)),
                )
            })
            .collect();
    while level.len() > 1 {
        level = runs(level.iter().map(|(k, _)| ELEMENT + k.len()))
            .into_iter()
            .map(|r| {
                let run = &level[r.clone()];
                let size = PAGE_HEADER + run.iter().map(|(k, _)| ELEMENT + k.len()).sum::<usize>();
                let id = out.page(BRANCH_PAGE, run.len(), size, |b| branch_body(b, run));
                (level[r.start].0, id)
            })
            .collect();
    }
    level[0].1
}

/// A bucket's value in its parent: its header, and its leaf page when it is small enough to
/// be kept inline (bbolt: at most a quarter page).
fn bucket_value(out: &mut Out, pairs: &[(&[u8], &[u8])]) -> Vec<u8> {
    let elems: Vec<Elem<'_>> = pairs
        .iter()
        .map(|(k, v)| Elem {
            flags: 0,
            key: k,
            value: v,
        })
        .collect();
    let mut v = Vec::with_capacity(BUCKET_HEADER + PAGE_HEADER);
    if leaf_size(&elems) <= PAGE_SIZE / 4 {
        v.extend_from_slice(&[0; BUCKET_HEADER + 8]);
        v.extend_from_slice(&LEAF_PAGE.to_le_bytes());
        v.extend_from_slice(&(elems.len() as u16).to_le_bytes());
        v.extend_from_slice(&[0; 4]);
        leaf_body(&mut v, &elems);
    } else {
        let root = tree(out, &elems);
        v.extend_from_slice(&root.to_le_bytes());
        v.extend_from_slice(&0u64.to_le_bytes());
    }
    v
}

fn meta_page(id: u64, root: u64, pgid: u64, txid: u64) -> Vec<u8> {
    let mut m = Vec::with_capacity(PAGE_SIZE);
    m.extend_from_slice(&id.to_le_bytes());
    m.extend_from_slice(&META_PAGE.to_le_bytes());
    m.extend_from_slice(&[0; 6]);
    let start = m.len();
    m.extend_from_slice(&MAGIC.to_le_bytes());
    m.extend_from_slice(&VERSION.to_le_bytes());
    m.extend_from_slice(&(PAGE_SIZE as u32).to_le_bytes());
    m.extend_from_slice(&0u32.to_le_bytes());
    m.extend_from_slice(&root.to_le_bytes());
    m.extend_from_slice(&0u64.to_le_bytes());
    m.extend_from_slice(&NO_FREELIST.to_le_bytes());
    m.extend_from_slice(&pgid.to_le_bytes());
    m.extend_from_slice(&txid.to_le_bytes());
    let sum = fnv64a(&m[start..start + META_SUMMED]);
    m.extend_from_slice(&sum.to_le_bytes());
    m.resize(PAGE_SIZE, 0);
    m
}

/// The database holding `buckets`, at least `min_size` bytes long (free pages at the end),
/// in a buffer with room for `extra` more bytes (a snapshot appends its hash).
pub fn write(buckets: &[Bucket], min_size: usize, extra: usize) -> Vec<u8> {
    let mut named: Vec<&Bucket> = buckets.iter().collect();
    crate::sort::sort_by(&mut named, |a, b| a.name.cmp(&b.name));
    named.dedup_by(|a, b| a.name == b.name);
    let sorted: Vec<Vec<(&[u8], &[u8])>> = named.iter().map(|b| b.sorted()).collect();
    // the same layout twice: counted, then written
    let mut out = Out {
        buf: None,
        pages: 2,
    };
    for pass in 0..2 {
        if pass == 1 {
            let size =
                (out.pages as usize * PAGE_SIZE).max(min_size.div_ceil(PAGE_SIZE) * PAGE_SIZE);
            let mut buf = Vec::with_capacity(size + extra);
            buf.resize(2 * PAGE_SIZE, 0);
            out = Out {
                buf: Some(buf),
                pages: 2,
            };
        }
        let values: Vec<Vec<u8>> = sorted.iter().map(|p| bucket_value(&mut out, p)).collect();
        let elems: Vec<Elem<'_>> = named
            .iter()
            .zip(&values)
            .map(|(b, v)| Elem {
                flags: BUCKET_LEAF,
                key: &b.name,
                value: v,
            })
            .collect();
        let root = tree(&mut out, &elems);
        if let Some(buf) = out.buf.as_mut() {
            let wanted = min_size.div_ceil(PAGE_SIZE) * PAGE_SIZE;
            if buf.len() < wanted {
                buf.resize(wanted, 0);
            }
            let pgid = (buf.len() / PAGE_SIZE) as u64;
            buf[..PAGE_SIZE].copy_from_slice(&meta_page(0, root, pgid, 3));
            buf[PAGE_SIZE..2 * PAGE_SIZE].copy_from_slice(&meta_page(1, root, pgid, 2));
        }
    }
    out.buf.unwrap_or_default()
}

/// Every top-level bucket of `db` with its pairs, as [`Bucket`]s to write again (a rewrite of
/// a database: defragmented, trimmed, or with pairs added).
pub fn buckets_of(db: &Db) -> Result<Vec<Bucket>, String> {
    let mut out = Vec::new();
    for e in db.root()?.iter().filter(|e| e.bucket) {
        let mut b = Bucket::new(&String::from_utf8_lossy(e.key));
        for p in db.nested(e)? {
            b.put(p.key, p.value);
        }
        out.push(b);
    }
    Ok(out)
}
