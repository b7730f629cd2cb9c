//! The Yew front end: thin function components over the playground. No etcd logic here.
