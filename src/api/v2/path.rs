//! Go's `path.Clean` for rooted paths, which every v2 key goes through.

/// Cleans `p` as `path.Clean(path.Join("/", p))` does: one leading slash, no empty, `.` or
/// `..` components, no trailing slash (except the root itself).
pub fn clean(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut out = String::with_capacity(p.len() + 1);
    for c in &parts {
        out.push('/');
        out.push_str(c);
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// `path.Join(a, b)` then clean.
pub fn join(a: &str, b: &str) -> String {
    clean(&format!("{}/{}", a, b))
}

/// `path.Split`: everything up to and including the last slash, and the rest.
pub fn split(p: &str) -> (&str, &str) {
    match p.rfind('/') {
        Some(i) => (p.get(..=i).unwrap_or(""), p.get(i + 1..).unwrap_or("")),
        None => ("", p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_like_go() {
        assert_eq!(clean(""), "/");
        assert_eq!(clean("/"), "/");
        assert_eq!(clean("foo"), "/foo");
        assert_eq!(clean("/foo/"), "/foo");
        assert_eq!(clean("//a/./b/../c"), "/a/c");
        assert_eq!(clean("/../x"), "/x");
        assert_eq!(join("/1", "/a/b/"), "/1/a/b");
        assert_eq!(join("/1", "/"), "/1");
        assert_eq!(split("/1/a/b"), ("/1/a/", "b"));
    }
}
