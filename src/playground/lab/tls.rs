//! TLS between etcdctl and the lab's etcd, as far as it decides whether a connection works:
//! who issued a certificate (the issuer and subject names read from the PEM file's DER), whether
//! a key belongs to a certificate (the EC public key in both), and etcd's client-certificate
//! check. The node's PEM files are real ones, so a certificate from the wrong CA (e.g.
//! `/etc/kubernetes/pki/ca.crt` instead of `pki/etcd/ca.crt`) fails as it would for real.
//!
//! Owns: [`handshake`] and the small DER reader behind it. Must not touch: the cluster, files.

use base64::Engine;

use crate::cluster::ClientTls;

/// What etcd's client listener requires (from its flags and the files they name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerTls {
    /// `--cert-file`'s bytes.
    pub cert: Vec<u8>,
    /// `--trusted-ca-file`'s bytes (client certificates must be issued by it).
    pub trusted_ca: Option<Vec<u8>>,
    /// `--client-cert-auth=true`.
    pub client_cert_auth: bool,
}

/// The DER blocks of a PEM file with their labels (`CERTIFICATE`, `EC PRIVATE KEY`).
fn pem_blocks(data: &[u8]) -> Vec<(String, Vec<u8>)> {
    let text = String::from_utf8_lossy(data);
    let mut out = Vec::new();
    let mut label: Option<String> = None;
    let mut body = String::new();
    for line in text.lines() {
        let l = line.trim();
        if let Some(rest) = l.strip_prefix("-----BEGIN ") {
            label = Some(rest.trim_end_matches('-').to_string());
            body.clear();
        } else if l.starts_with("-----END ") {
            if let Some(lb) = label.take() {
                if let Ok(der) = base64::engine::general_purpose::STANDARD.decode(body.as_bytes()) {
                    out.push((lb, der));
                }
            }
        } else if label.is_some() {
            body.push_str(l);
        }
    }
    out
}

/// One DER element at `pos`: (tag, content range, end).
fn tlv(d: &[u8], pos: usize) -> Option<(u8, usize, usize)> {
    let tag = *d.get(pos)?;
    let first = *d.get(pos + 1)? as usize;
    let (len, start) = if first < 0x80 {
        (first, pos + 2)
    } else {
        let n = first & 0x7f;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *d.get(pos + 2 + i)? as usize;
        }
        (len, pos + 2 + n)
    };
    let end = start.checked_add(len)?;
    if end > d.len() {
        return None;
    }
    Some((tag, start, end))
}

/// The children of a constructed element's content.
fn children(d: &[u8], start: usize, end: usize) -> Vec<(u8, usize, usize, usize)> {
    let mut v = Vec::new();
    let mut p = start;
    while p < end {
        let Some((tag, s, e)) = tlv(d, p) else {
            break;
        };
        v.push((tag, p, s, e));
        p = e;
    }
    v
}

/// A certificate's issuer and subject names (DER) and its public key bits.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Cert {
    issuer: Vec<u8>,
    subject: Vec<u8>,
    public_key: Vec<u8>,
}

fn parse_cert(data: &[u8]) -> Option<Cert> {
    let (_, der) = pem_blocks(data)
        .into_iter()
        .find(|(l, _)| l == "CERTIFICATE")?;
    let (_, s, e) = tlv(&der, 0)?;
    let (_, ts, te) = tlv(&der, s).filter(|t| t.2 <= e)?;
    let mut f = children(&der, ts, te);
    if f.first().is_some_and(|c| c.0 == 0xa0) {
        f.remove(0);
    }
    // serial, signature algorithm, issuer, validity, subject, subjectPublicKeyInfo
    let issuer = f.get(2)?;
    let subject = f.get(4)?;
    let spki = f.get(5)?;
    let key = children(&der, spki.2, spki.3);
    let bits = key.get(1)?;
    Some(Cert {
        issuer: der[issuer.1..issuer.3].to_vec(),
        subject: der[subject.1..subject.3].to_vec(),
        public_key: der[bits.2..bits.3].to_vec(),
    })
}

/// The public key bits an EC private key file carries.
fn key_public(data: &[u8]) -> Option<Vec<u8>> {
    let (_, der) = pem_blocks(data)
        .into_iter()
        .find(|(l, _)| l.ends_with("PRIVATE KEY"))?;
    let (_, s, e) = tlv(&der, 0)?;
    let f = children(&der, s, e);
    let pk = f.iter().find(|c| c.0 == 0xa1)?;
    let (_, bs, be) = tlv(&der, pk.2)?;
    Some(der[bs..be].to_vec())
}

/// Whether `cert` was issued by the CA certificate `ca`.
fn issued_by(cert: &Cert, ca: &[u8]) -> bool {
    parse_cert(ca).is_some_and(|c| c.subject == cert.issuer)
}

/// Whether a client with `client` settings dialling with TLS (`tls`) gets through to a
/// listener that requires `server` (None: plain HTTP).
pub fn handshake(client: &ClientTls, tls: bool, server: Option<&ServerTls>) -> bool {
    let Some(server) = server else {
        return !tls;
    };
    if !tls {
        return false;
    }
    let Some(server_cert) = parse_cert(&server.cert) else {
        return false;
    };
    let verified = client.skip_verify
        || client
            .ca
            .as_deref()
            .is_some_and(|ca| issued_by(&server_cert, ca));
    if !verified {
        return false;
    }
    if !server.client_cert_auth {
        return true;
    }
    let (Some(cert), Some(key)) = (client.cert.as_deref(), client.key.as_deref()) else {
        return false;
    };
    let Some(c) = parse_cert(cert) else {
        return false;
    };
    let paired = key_public(key).is_some_and(|k| k == c.public_key);
    paired
        && server
            .trusted_ca
            .as_deref()
            .is_some_and(|ca| issued_by(&c, ca))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::kubeadm::PKI;

    fn pki(name: &str) -> Vec<u8> {
        PKI.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, d)| d.to_vec())
            .unwrap()
    }

    #[test]
    fn kubeadm_certificates() {
        let server = ServerTls {
            cert: pki("etcd/server.crt"),
            trusted_ca: Some(pki("etcd/ca.crt")),
            client_cert_auth: true,
        };
        let good = ClientTls {
            secure_default: true,
            ca: Some(pki("etcd/ca.crt")),
            cert: Some(pki("etcd/server.crt")),
            key: Some(pki("etcd/server.key")),
            skip_verify: false,
        };
        assert!(handshake(&good, true, Some(&server)));
        assert!(!handshake(&good, false, Some(&server)), "plain to TLS");
        let mut c = good.clone();
        c.cert = Some(pki("apiserver-etcd-client.crt"));
        c.key = Some(pki("apiserver-etcd-client.key"));
        assert!(
            handshake(&c, true, Some(&server)),
            "kube-apiserver's client"
        );
        c.ca = Some(pki("ca.crt"));
        assert!(!handshake(&c, true, Some(&server)), "the cluster CA");
        let mut c = good.clone();
        c.key = Some(pki("etcd/peer.key"));
        assert!(!handshake(&c, true, Some(&server)), "key of another cert");
        let mut c = good.clone();
        c.cert = Some(pki("front-proxy-client.crt"));
        c.key = Some(pki("front-proxy-client.key"));
        assert!(
            !handshake(&c, true, Some(&server)),
            "client cert of another CA"
        );
        let mut c = good.clone();
        c.cert = None;
        assert!(!handshake(&c, true, Some(&server)));
        let mut c = good;
        c.ca = None;
        assert!(!handshake(&c, true, Some(&server)), "system roots");
        assert!(!handshake(&c, true, None));
        assert!(handshake(&c, false, None));
        assert_eq!(parse_cert(b"junk"), None);
        assert_eq!(
            key_public(b"-----BEGIN EC PRIVATE KEY-----\n!!\n-----END EC PRIVATE KEY-----\n"),
            None
        );
    }
}
