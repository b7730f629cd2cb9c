//! `-w table`: the few responses etcdctl draws with tablewriter (member list, endpoint
//! status/health/hashkv, snapshot status); header centred and upper-cased, cells
//! right-aligned, `+---+` borders.

use crate::api::*;

use super::printer::*;
use super::Io;

pub struct TablePrinter {
    pub opts: PrintOpts,
}

/// Draws a table as etcdctl's tablewriter does.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let header: Vec<String> = header.iter().map(|h| h.to_uppercase()).collect();
    let cols = header.len();
    let mut width: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let border = {
        let mut s = String::from("+");
        for w in &width {
            s.push_str(&"-".repeat(w + 2));
            s.push('+');
        }
        s
    };
    let mut out = String::new();
    out.push_str(&border);
    out.push('\n');
    out.push('|');
    for (i, h) in header.iter().enumerate() {
        let gap = width[i] - h.chars().count();
        let left = gap / 2;
        out.push(' ');
        out.push_str(&" ".repeat(left));
        out.push_str(h);
        out.push_str(&" ".repeat(gap - left));
        out.push_str(" |");
    }
    out.push('\n');
    out.push_str(&border);
    out.push('\n');
    for r in rows {
        out.push('|');
        for (i, w) in width.iter().enumerate() {
            let c = r.get(i).map(|s| s.as_str()).unwrap_or("");
            out.push(' ');
            out.push_str(&" ".repeat(w - c.chars().count()));
            out.push_str(c);
            out.push_str(" |");
        }
        out.push('\n');
    }
    out.push_str(&border);
    out.push('\n');
    out
}

impl Printer for TablePrinter {
    fn name(&self) -> &'static str {
        "table"
    }
    fn member_list(&self, io: &mut Io, r: &MemberListResponse) -> PResult {
        io.out(&render(
            &[
                "ID",
                "Status",
                "Name",
                "Peer Addrs",
                "Client Addrs",
                "Is Learner",
            ],
            &member_rows(r),
        ));
        Ok(())
    }
    fn endpoint_health(&self, io: &mut Io, r: &[EpHealth]) -> PResult {
        let rows: Vec<Vec<String>> = r
            .iter()
            .map(|h| {
                vec![
                    h.ep.clone(),
                    h.health.to_string(),
                    h.took.clone(),
                    h.error.clone(),
                ]
            })
            .collect();
        io.out(&render(&["endpoint", "health", "took", "error"], &rows));
        Ok(())
    }
    fn endpoint_status(&self, io: &mut Io, r: &[EpStatus]) -> PResult {
        io.out(&render(
            &[
                "endpoint",
                "ID",
                "version",
                "db size",
                "is leader",
                "is learner",
                "raft term",
                "raft index",
                "raft applied index",
                "errors",
            ],
            &status_rows(r),
        ));
        Ok(())
    }
    fn endpoint_hashkv(&self, io: &mut Io, r: &[EpHashKv]) -> PResult {
        let rows: Vec<Vec<String>> = r
            .iter()
            .map(|h| vec![h.ep.clone(), h.resp.hash.to_string()])
            .collect();
        io.out(&render(&["endpoint", "hash"], &rows));
        Ok(())
    }
    fn db_status(&self, io: &mut Io, r: &DbStatus) -> PResult {
        io.out(&render(
            &["hash", "revision", "total keys", "total size"],
            &[db_status_row(r)],
        ));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_like_tablewriter() {
        let t = render(
            &["endpoint", "hash"],
            &[vec!["127.0.0.1:2379".into(), "1084519789".into()]],
        );
        assert_eq!(
            t,
            "+----------------+------------+\n|    ENDPOINT    |    HASH    |\n+----------------+------------+\n| 127.0.0.1:2379 | 1084519789 |\n+----------------+------------+\n"
        );
    }
}
