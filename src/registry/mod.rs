//! Kubernetes `/registry` sample layouts and the key-tree model behind the keyspace view.
