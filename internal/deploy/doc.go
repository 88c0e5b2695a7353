// Package deploy runs the life of a blueprint through terraform: it
// compiles the blueprint into the blueprint's workdir (never touching the
// state beside it), holds the workdir's lock for the whole run, runs
// terraform init only when something init depends on changed, and plans,
// applies and destroys, reporting in blueprint terms.
//
// Offline deployments (the offline providers: nothing reaches a cloud)
// live in their own workdirs, so fake state never mixes with real state.
//
// The state backend, as state.ResolveBackend decides it, is not part of
// the compiled configuration: the workdir gets its partial block in
// backend.tf, and terraform init its settings as -backend-config. A change
// of backend is followed only when the previous one holds no resources, or
// when the caller asks for the state to be migrated (backend.go).
//
// A state terraform could not save to its backend is kept in the workdir,
// and Open refuses every run until PushErrored has pushed it (errored.go).
package deploy
