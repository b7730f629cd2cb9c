//! Client endpoints as etcdctl names them: `127.0.0.1:2379`, `http://127.0.0.1:2379`,
//! `https://localhost:2379`, `localhost:2379`. Only loopback hosts reach the simulated members.

/// The `host:port` part of an endpoint or URL, without scheme or path.
pub fn host_port(endpoint: &str) -> &str {
    let e = endpoint.trim();
    let e = e
        .strip_prefix("http://")
        .or_else(|| e.strip_prefix("https://"))
        .or_else(|| e.strip_prefix("unix://"))
        .unwrap_or(e);
    e.split('/').next().unwrap_or(e)
}

/// The port an endpoint names, if its host is a loopback name.
pub fn loopback_port(endpoint: &str) -> Option<u16> {
    let hp = host_port(endpoint);
    let (host, port) = hp.rsplit_once(':')?;
    if !matches!(host, "127.0.0.1" | "localhost" | "[::1]" | "0.0.0.0") {
        return None;
    }
    port.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_forms() {
        assert_eq!(loopback_port("127.0.0.1:2379"), Some(2379));
        assert_eq!(loopback_port("http://127.0.0.1:22379"), Some(22379));
        assert_eq!(loopback_port("localhost:32379"), Some(32379));
        assert_eq!(loopback_port("http://10.0.0.1:2379"), None);
        assert_eq!(loopback_port("127.0.0.1"), None);
    }
}
