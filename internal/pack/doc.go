// Package pack turns a function's source directory into a deterministic
// zip: the same files give the same bytes and so the same hash, whatever
// the files' times, owners or the order the file system lists them in. A
// change to the code changes the hash, which makes the cloud redeploy.
package pack
