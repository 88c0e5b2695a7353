// Package state owns what skyform keeps on disk between runs, and where
// terraform keeps the state: the directories generated Terraform is
// written into, the workdir lock, the deployment record, and the backend a
// deployment uses (backend.go). A backend is resolved from the blueprint
// and the command line into terraform's backend type, written as a partial
// backend block, and settings for terraform init -backend-config; compiled
// configurations never name it. Each deployment (blueprint, clouds, offline
// or not) gets a state object of its own unless told otherwise.
//
// Writing generated files never touches what terraform keeps beside them
// (.terraform/, state files, plans): a manifest records which files skyform
// wrote, so files a previous compile wrote and this one does not are removed,
// and nothing else is.
package state
