//! The page's [`Transport`]: the browser's own HTTP. A unary call is a synchronous
//! `XMLHttpRequest` (etcdctl's commands run to completion in one go, as they do natively; on
//! loopback or a LAN that is milliseconds). A watch is a `fetch` whose body is read as it
//! arrives, line by line, into the stream's channel; dropping the stream aborts the fetch.
//!
//! A page can only read an answer the endpoint allows it to (CORS: etcd's `--cors`), cannot
//! present a client certificate from a file (mutual TLS is out of its reach), and cannot tell
//! these apart from "nothing answers": a failure says all three, each with what to do.
//!
//! Owns: the browser's HTTP. Must not touch: JSON, etcd's semantics.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, RequestInit, XmlHttpRequest};

use super::transport::{Reply, Stream, Transport, TransportError};

/// The browser's HTTP, as the page's client of a real cluster uses it.
#[derive(Default)]
pub struct FetchTransport;

/// This page's origin (`http://127.0.0.1:8080`), as etcd's `--cors` must name it.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_else(|| "*".to_string())
}

/// Why a request from the page got no answer it may read, with what to do for each cause.
pub fn unreachable_text(url: &str) -> String {
    let origin = page_origin();
    let mut text = format!(
        "no answer this page may read: either nothing listens there (start etcd with --listen-client-urls and --advertise-client-urls on that address), or etcd does not let this page's origin read its answers (start it with --cors='{origin}')"
    );
    if url.starts_with("https://") {
        text.push_str(
            ", or the browser does not trust its certificate (open the URL once in this browser to accept it), or it asks for a client certificate (--client-cert-auth, as kubeadm's etcd does): a page cannot present one, so mutual TLS endpoints are out of its reach; use the real etcdctl with --cacert/--cert/--key",
        );
    }
    text
}

impl Transport for FetchTransport {
    fn post(
        &self,
        url: &str,
        path: &str,
        body: &str,
        token: Option<&str>,
        _timeout: Duration,
    ) -> Result<Reply, TransportError> {
        // (a synchronous request from a page cannot carry a timeout: the browser's applies)
        let failed = |e: JsValue| TransportError::Other(format!("{e:?}"));
        let xhr = XmlHttpRequest::new().map_err(failed)?;
        xhr.open_with_async("POST", &format!("{url}{path}"), false)
            .map_err(failed)?;
        xhr.set_request_header("Content-Type", "application/json")
            .map_err(failed)?;
        if let Some(t) = token {
            xhr.set_request_header("Authorization", t).map_err(failed)?;
        }
        if xhr.send_with_opt_str(Some(body)).is_err() {
            return Err(TransportError::Unreachable(unreachable_text(url)));
        }
        let status = xhr.status().unwrap_or(0);
        if status == 0 {
            return Err(TransportError::Unreachable(unreachable_text(url)));
        }
        let body = xhr.response_text().ok().flatten().unwrap_or_default();
        Ok(Reply { status, body })
    }

    fn open_stream(
        &self,
        url: &str,
        path: &str,
        body: &str,
        token: Option<&str>,
        _connect_timeout: Duration,
    ) -> Result<Stream, TransportError> {
        let failed = |e: JsValue| TransportError::Other(format!("{e:?}"));
        let abort = AbortController::new().map_err(failed)?;
        let answer =
            fetch_post(&format!("{url}{path}"), body, token, &abort.signal()).map_err(failed)?;
        let (tx, rx) = mpsc::channel();
        wasm_bindgen_futures::spawn_local(async move {
            // an error ends the task: the channel closes, and the watch reads as broken
            let _ = read_lines(answer, tx).await;
        });
        Ok(Stream {
            // the real status comes with the body: a refusal arrives as its error line
            status: 200,
            lines: rx,
            closer: Some(Box::new(Abort(abort))),
        })
    }
}

/// An answer that arrives later: None until it did.
pub type Later = Rc<RefCell<Option<Result<Reply, TransportError>>>>;

/// POSTs `body` without waiting (a fetch, given up after `timeout`); its answer lands in the
/// returned cell.
pub fn post_later(url: &str, path: &str, body: &str, timeout: Duration) -> Later {
    let later: Later = Rc::new(RefCell::new(None));
    let signal =
        web_sys::AbortSignal::timeout_with_u32(timeout.as_millis().min(u32::MAX as u128) as u32);
    let answer = match fetch_post(&format!("{url}{path}"), body, None, &signal) {
        Ok(a) => a,
        Err(e) => {
            *later.borrow_mut() = Some(Err(TransportError::Other(format!("{e:?}"))));
            return later;
        }
    };
    let (cell, url) = (later.clone(), url.to_string());
    wasm_bindgen_futures::spawn_local(async move {
        let got = async {
            let response: web_sys::Response = JsFuture::from(answer).await?.dyn_into()?;
            let text = JsFuture::from(response.text()?).await?;
            Ok::<_, JsValue>(Reply {
                status: response.status(),
                body: text.as_string().unwrap_or_default(),
            })
        }
        .await;
        *cell.borrow_mut() = Some(got.map_err(|e| {
            let name = Reflect::get(&e, &JsValue::from_str("name"))
                .ok()
                .and_then(|n| n.as_string());
            match name.as_deref() {
                Some("TimeoutError") | Some("AbortError") => TransportError::TimedOut,
                _ => TransportError::Unreachable(unreachable_text(&url)),
            }
        }));
    });
    later
}

/// Starts a JSON POST with fetch (`signal` aborts it); the promise of its response.
fn fetch_post(
    url: &str,
    body: &str,
    token: Option<&str>,
    signal: &web_sys::AbortSignal,
) -> Result<js_sys::Promise, JsValue> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    init.set_signal(Some(signal));
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "application/json")?;
    if let Some(t) = token {
        headers.set("Authorization", t)?;
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(url, &init)?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    Ok(window.fetch_with_request(&request))
}

/// Aborts the fetch of a stream nobody reads any more.
struct Abort(AbortController);

impl Drop for Abort {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Reads a streamed answer's body into `tx`, a line at a time, until it ends or nobody
/// listens.
async fn read_lines(answer: js_sys::Promise, tx: mpsc::Sender<String>) -> Result<(), JsValue> {
    let response: web_sys::Response = JsFuture::from(answer).await?.dyn_into()?;
    let Some(body) = response.body() else {
        return Ok(());
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().dyn_into()?;
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let chunk = JsFuture::from(reader.read()).await?;
        if Reflect::get(&chunk, &JsValue::from_str("done"))?.is_truthy() {
            break;
        }
        let bytes = Reflect::get(&chunk, &JsValue::from_str("value"))?;
        pending.extend(Uint8Array::new(&bytes).to_vec());
        while let Some(end) = pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line).trim().to_string();
            if !line.is_empty() && tx.send(line).is_err() {
                let _ = reader.cancel();
                return Ok(());
            }
        }
    }
    let rest = String::from_utf8_lossy(&pending).trim().to_string();
    if !rest.is_empty() {
        let _ = tx.send(rest);
    }
    Ok(())
}
