// Package encrypted keeps terraform state encrypted at rest, since
// terraform has no state encryption of its own: Server is an http state
// backend bound to 127.0.0.1 behind a random password that terraform reads
// and writes the state through, holding it in a file as an envelope
// (AES-256-GCM, with a key derived from a passphrase by scrypt; salt,
// parameters and nonce in the envelope). The plaintext exists only in the
// memory of skyform and terraform. Locking is the http backend's LOCK and
// UNLOCK, answered in memory: the file belongs to one workdir, whose
// lock (state.Lock) the process serving it holds, so no other process can
// reach the same state.
package encrypted
