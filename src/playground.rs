//! TEMPORARY stand-in on the ui branch until the etcdctl engineer's Playground lands.

/// What one console line printed, and how it ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit: i32,
}

pub struct Playground {
    kv: std::collections::BTreeMap<String, String>,
}

impl Playground {
    pub fn new(_seed: u64) -> Self {
        Playground {
            kv: Default::default(),
        }
    }
    pub fn run(&mut self, line: &str, _stdin: Option<&str>) -> Output {
        let w: Vec<&str> = line.split_whitespace().collect();
        let mut o = Output::default();
        match w.as_slice() {
            ["etcdctl", "put", k, v] => {
                self.kv.insert(k.to_string(), v.to_string());
                o.stdout = "OK\n".into();
            }
            ["etcdctl", "get", k] => {
                if let Some(v) = self.kv.get(*k) {
                    o.stdout = format!("{k}\n{v}\n");
                }
            }
            ["etcdctl", "version"] => {
                o.stdout = "etcdctl version: 3.4.23\nAPI version: 3.4\n".into()
            }
            _ => {
                o.stderr = format!("Error: unknown command \"{}\" for \"etcdctl\"\n", w.get(1).unwrap_or(&""));
                o.exit = 1;
            }
        }
        o
    }
}
