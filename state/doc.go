// Package state owns what skyform keeps on disk between runs: the
// directories generated Terraform is written into, and (as they grow)
// backends, deployment records and locks.
//
// Writing generated files never touches what terraform keeps beside them
// (.terraform/, state files, plans): a manifest records which files skyform
// wrote, so files a previous compile wrote and this one does not are removed,
// and nothing else is.
package state
