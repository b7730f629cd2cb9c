//! `kubectl describe pod`: the pod's fields in kubectl's describe layout (written with tabs
//! through a Go-style tabwriter, minwidth 0, padding 2) and the events about it.
//!
//! Owns: the text of a pod description. Must not touch: etcd (the caller passes the pod and
//! its events).

use serde_json::Value;

use super::printers::tabwriter;
use crate::registry::k8stime::{human_age, parse_rfc3339, rfc1123z};

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn time(v: &Value) -> String {
    v.as_str()
        .and_then(parse_rfc3339)
        .map(rfc1123z)
        .unwrap_or_default()
}

fn multiline(out: &mut String, indent: &str, title: &str, m: &Value) {
    out.push_str(&format!("{indent}{title}:\t"));
    let Some(map) = m.as_object().filter(|m| !m.is_empty()) else {
        out.push_str("<none>\n");
        return;
    };
    for (i, (k, v)) in map.iter().enumerate() {
        if i > 0 {
            out.push_str(&format!("{indent}\t"));
        }
        out.push_str(&format!("{k}={}\n", s(v)));
    }
}

fn state(out: &mut String, name: &str, st: &Value) {
    if st["running"].is_object() {
        out.push_str(&format!(
            "    {name}:\tRunning\n      Started:\t{}\n",
            time(&st["running"]["startedAt"])
        ));
    } else if st["terminated"].is_object() {
        let t = &st["terminated"];
        out.push_str(&format!("    {name}:\tTerminated\n"));
        if let Some(r) = t["reason"].as_str().filter(|r| !r.is_empty()) {
            out.push_str(&format!("      Reason:\t{r}\n"));
        }
        if let Some(m) = t["message"].as_str().filter(|m| !m.is_empty()) {
            out.push_str(&format!("      Message:\t{m}\n"));
        }
        out.push_str(&format!(
            "      Exit Code:\t{}\n",
            t["exitCode"].as_i64().unwrap_or(0)
        ));
        out.push_str(&format!(
            "      Started:\t{}\n      Finished:\t{}\n",
            time(&t["startedAt"]),
            time(&t["finishedAt"])
        ));
    } else {
        out.push_str(&format!("    {name}:\tWaiting\n"));
        if let Some(r) = st["waiting"]["reason"].as_str().filter(|r| !r.is_empty()) {
            out.push_str(&format!("      Reason:\t{r}\n"));
        }
    }
}

/// The description of a pod; `events` are the events whose involvedObject is this pod.
pub fn describe_pod(pod: &Value, events: &[Value], now: i64) -> String {
    let meta = &pod["metadata"];
    let spec = &pod["spec"];
    let status = &pod["status"];
    let mut w = String::new();
    w.push_str(&format!("Name:\t{}\n", s(&meta["name"])));
    w.push_str(&format!("Namespace:\t{}\n", s(&meta["namespace"])));
    if let Some(p) = spec["priority"].as_i64() {
        w.push_str(&format!("Priority:\t{p}\n"));
    }
    if let Some(pc) = spec["priorityClassName"].as_str().filter(|p| !p.is_empty()) {
        w.push_str(&format!("Priority Class Name:\t{pc}\n"));
    }
    w.push_str(&format!(
        "Service Account:\t{}\n",
        s(&spec["serviceAccountName"])
    ));
    match spec["nodeName"].as_str().filter(|n| !n.is_empty()) {
        Some(n) => w.push_str(&format!("Node:\t{n}/{}\n", s(&status["hostIP"]))),
        None => w.push_str("Node:\t<none>\n"),
    }
    if status["startTime"].is_string() {
        w.push_str(&format!("Start Time:\t{}\n", time(&status["startTime"])));
    }
    multiline(&mut w, "", "Labels", &meta["labels"]);
    multiline(&mut w, "", "Annotations", &meta["annotations"]);
    if meta["deletionTimestamp"].is_string() {
        w.push_str(&format!(
            "Status:\tTerminating (lasts {})\n",
            human_age(
                now - meta["deletionTimestamp"]
                    .as_str()
                    .and_then(parse_rfc3339)
                    .unwrap_or(now)
            )
        ));
    } else {
        w.push_str(&format!("Status:\t{}\n", s(&status["phase"])));
    }
    if let Some(r) = status["reason"].as_str().filter(|r| !r.is_empty()) {
        w.push_str(&format!("Reason:\t{r}\n"));
    }
    if let Some(m) = status["message"].as_str().filter(|m| !m.is_empty()) {
        w.push_str(&format!("Message:\t{m}\n"));
    }
    w.push_str(&format!("IP:\t{}\n", s(&status["podIP"])));
    match status["podIPs"].as_array().filter(|a| !a.is_empty()) {
        Some(ips) => {
            w.push_str("IPs:\n");
            for ip in ips {
                w.push_str(&format!("  IP:\t{}\n", s(&ip["ip"])));
            }
        }
        None => w.push_str("IPs:\t<none>\n"),
    }
    if let Some(o) = meta["ownerReferences"]
        .as_array()
        .and_then(|a| a.iter().find(|o| o["controller"] == true))
    {
        w.push_str(&format!(
            "Controlled By:\t{}/{}\n",
            s(&o["kind"]),
            s(&o["name"])
        ));
    }
    w.push_str("Containers:\n");
    let statuses = status["containerStatuses"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for c in spec["containers"].as_array().into_iter().flatten() {
        let name = s(&c["name"]);
        let st = statuses.iter().find(|x| x["name"] == c["name"]);
        w.push_str(&format!("  {name}:\n"));
        if let Some(st) = st {
            w.push_str(&format!("    Container ID:\t{}\n", s(&st["containerID"])));
        }
        w.push_str(&format!("    Image:\t{}\n", s(&c["image"])));
        if let Some(st) = st {
            w.push_str(&format!("    Image ID:\t{}\n", s(&st["imageID"])));
        }
        let ports: Vec<&Value> = c["ports"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let port_text: Vec<String> = ports
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    p["containerPort"].as_i64().unwrap_or(0),
                    p["protocol"].as_str().unwrap_or("TCP")
                )
            })
            .collect();
        let host_text: Vec<String> = ports
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    p["hostPort"].as_i64().unwrap_or(0),
                    p["protocol"].as_str().unwrap_or("TCP")
                )
            })
            .collect();
        let none = |v: Vec<String>| {
            if v.is_empty() {
                "<none>".to_string()
            } else {
                v.join(", ")
            }
        };
        let (pl, hl) = if port_text.len() > 1 {
            ("Ports", "Host Ports")
        } else {
            ("Port", "Host Port")
        };
        w.push_str(&format!(
            "    {pl}:\t{}\n    {hl}:\t{}\n",
            none(port_text),
            none(host_text)
        ));
        for (title, field) in [("Command", "command"), ("Args", "args")] {
            if let Some(parts) = c[field].as_array().filter(|a| !a.is_empty()) {
                w.push_str(&format!("    {title}:\n"));
                for p in parts {
                    w.push_str(&format!("      {}\n", s(p)));
                }
            }
        }
        if let Some(st) = st {
            state(&mut w, "State", &st["state"]);
            if st["lastState"]["terminated"].is_object() {
                state(&mut w, "Last State", &st["lastState"]);
            }
            w.push_str(&format!(
                "    Ready:\t{}\n",
                if st["ready"] == true { "True" } else { "False" }
            ));
            w.push_str(&format!(
                "    Restart Count:\t{}\n",
                st["restartCount"].as_i64().unwrap_or(0)
            ));
        }
        w.push_str("    Environment:\t<none>\n    Mounts:\t<none>\n");
    }
    if let Some(conds) = status["conditions"].as_array().filter(|a| !a.is_empty()) {
        w.push_str("Conditions:\n  Type\tStatus\n");
        for c in conds {
            w.push_str(&format!("  {} \t{} \n", s(&c["type"]), s(&c["status"])));
        }
    }
    w.push_str("Volumes:\t<none>\n");
    w.push_str(&format!("QoS Class:\t{}\n", s(&status["qosClass"])));
    multiline(&mut w, "", "Node-Selectors", &spec["nodeSelector"]);
    w.push_str("Tolerations:\t");
    match spec["tolerations"].as_array().filter(|a| !a.is_empty()) {
        None => w.push_str("<none>\n"),
        Some(ts) => {
            for (i, t) in ts.iter().enumerate() {
                if i > 0 {
                    w.push('\t');
                }
                let (key, value, effect) = (s(&t["key"]), s(&t["value"]), s(&t["effect"]));
                w.push_str(&key);
                if !value.is_empty() {
                    w.push_str(&format!("={value}"));
                }
                if !effect.is_empty() {
                    w.push_str(&format!(":{effect}"));
                }
                if t["operator"] == "Exists" && value.is_empty() {
                    w.push_str(if key.is_empty() && effect.is_empty() {
                        "op=Exists"
                    } else {
                        " op=Exists"
                    });
                }
                if let Some(secs) = t["tolerationSeconds"].as_i64() {
                    w.push_str(&format!(" for {secs}s"));
                }
                w.push('\n');
            }
        }
    }
    if events.is_empty() {
        w.push_str("Events:\t<none>\n");
        return tabwriter(&w, 0, 2);
    }
    // kubectl flushes before the events table, so it aligns on its own.
    let mut out = tabwriter(&w, 0, 2);
    let mut ev: Vec<&Value> = events.iter().collect();
    crate::sort::sort_by_key(&mut ev, |e| {
        e["lastTimestamp"]
            .as_str()
            .and_then(parse_rfc3339)
            .unwrap_or(0)
    });
    let mut t = String::from(
        "Events:\n  Type\tReason\tAge\tFrom\tMessage\n  ----\t------\t----\t----\t-------\n",
    );
    for e in ev {
        let first = e["firstTimestamp"]
            .as_str()
            .and_then(parse_rfc3339)
            .map(|f| human_age(now - f))
            .unwrap_or_else(|| "<unknown>".into());
        let count = e["count"].as_i64().unwrap_or(1);
        let interval = if count > 1 {
            let last = e["lastTimestamp"]
                .as_str()
                .and_then(parse_rfc3339)
                .map(|f| human_age(now - f))
                .unwrap_or_default();
            format!("{last} (x{count} over {first})")
        } else {
            first
        };
        let from = e["source"]["component"]
            .as_str()
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| s(&e["reportingComponent"]));
        t.push_str(&format!(
            "  {}\t{}\t{interval}\t{from}\t{}\n",
            s(&e["type"]),
            s(&e["reason"]),
            s(&e["message"]).trim()
        ));
    }
    out.push_str(&tabwriter(&t, 0, 2));
    out
}
