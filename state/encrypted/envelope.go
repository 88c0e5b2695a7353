package encrypted

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/crypto/scrypt"
)

// format names the envelope; version is its layout.
const (
	format     = "skyform-encrypted-state"
	version    = 1
	cipherName = "AES-256-GCM"
	kdfName    = "scrypt"
)

// scrypt's cost for new envelopes (the interactive parameters its paper
// recommends, 2^15 × 8: about 32 MiB and a tenth of a second), and the
// most an envelope read may ask for.
const (
	defaultN = 1 << 15
	defaultR = 8
	defaultP = 1
	maxN     = 1 << 20
)

// additionalData binds a ciphertext to this use: a sealed state cannot be
// passed off as anything else sealed with the same key.
var additionalData = []byte(format + "/1")

// ErrWrongPassphrase is an envelope that does not open with the key: the
// passphrase is not the one it was sealed with, or the file was changed.
var ErrWrongPassphrase = errors.New("the passphrase does not decrypt it (a different passphrase, or the file was changed)")

// ErrNotEncrypted is a file that is not an envelope.
var ErrNotEncrypted = errors.New("it is not an encrypted state")

type kdf struct {
	Name string `json:"name"`
	N    int    `json:"n"`
	R    int    `json:"r"`
	P    int    `json:"p"`
	Salt []byte `json:"salt"`
}

type envelope struct {
	Format     string `json:"format"`
	Version    int    `json:"version"`
	Cipher     string `json:"cipher"`
	KDF        kdf    `json:"kdf"`
	Nonce      []byte `json:"nonce"`
	Ciphertext []byte `json:"ciphertext"`
}

// Key seals and opens envelopes: derived once per run from the passphrase
// and the salt of the envelope it reads (or a new salt), so every write
// of a run costs one AES-GCM pass, not a key derivation.
type Key struct {
	aead cipher.AEAD
	kdf  kdf
}

// IsEnvelope reports whether data is an envelope.
func IsEnvelope(data []byte) bool {
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return false
	}
	var e struct {
		Format string `json:"format"`
	}
	return json.Unmarshal(data, &e) == nil && e.Format == format
}

func parse(data []byte) (*envelope, error) {
	var e envelope
	if err := json.Unmarshal(data, &e); err != nil || e.Format != format {
		return nil, ErrNotEncrypted
	}
	switch {
	case e.Version != version:
		return nil, fmt.Errorf("envelope version %d: this skyform reads version %d", e.Version, version)
	case e.Cipher != cipherName || e.KDF.Name != kdfName:
		return nil, fmt.Errorf("envelope sealed with %s and %s: this skyform reads %s with %s", e.Cipher, e.KDF.Name, cipherName, kdfName)
	case e.KDF.N < 2 || e.KDF.N > maxN || e.KDF.N&(e.KDF.N-1) != 0 || e.KDF.R < 1 || e.KDF.P < 1 || e.KDF.R*e.KDF.P >= 1<<30 || len(e.KDF.Salt) < 16:
		return nil, fmt.Errorf("envelope with out-of-range key derivation parameters (n=%d r=%d p=%d, %d-byte salt)", e.KDF.N, e.KDF.R, e.KDF.P, len(e.KDF.Salt))
	}
	return &e, nil
}

func derive(passphrase string, k kdf) (*Key, error) {
	raw, err := scrypt.Key([]byte(passphrase), k.Salt, k.N, k.R, k.P, 32)
	if err != nil {
		return nil, fmt.Errorf("cannot derive the state key: %w", err)
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Key{aead: aead, kdf: k}, nil
}

// NewKey derives a key for a state that has no envelope yet, with a new
// random salt.
func NewKey(passphrase string) (*Key, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	return derive(passphrase, kdf{Name: kdfName, N: defaultN, R: defaultR, P: defaultP, Salt: salt})
}

// KeyFor derives the key of an existing envelope from the passphrase and
// checks it opens the envelope: ErrWrongPassphrase when it does not.
func KeyFor(passphrase string, data []byte) (*Key, error) {
	e, err := parse(data)
	if err != nil {
		return nil, err
	}
	k, err := derive(passphrase, e.KDF)
	if err != nil {
		return nil, err
	}
	if _, err := k.open(e); err != nil {
		return nil, err
	}
	return k, nil
}

// Seal encrypts plaintext into an envelope, with a new random nonce.
func (k *Key) Seal(plaintext []byte) ([]byte, error) {
	nonce := make([]byte, k.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	e := envelope{Format: format, Version: version, Cipher: cipherName, KDF: k.kdf, Nonce: nonce,
		Ciphertext: k.aead.Seal(nil, nonce, plaintext, additionalData)}
	data, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// Open decrypts an envelope sealed with this key.
func (k *Key) Open(data []byte) ([]byte, error) {
	e, err := parse(data)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(e.KDF.Salt, k.kdf.Salt) || e.KDF.N != k.kdf.N || e.KDF.R != k.kdf.R || e.KDF.P != k.kdf.P {
		return nil, ErrWrongPassphrase
	}
	return k.open(e)
}

func (k *Key) open(e *envelope) ([]byte, error) {
	if len(e.Nonce) != k.aead.NonceSize() {
		return nil, ErrWrongPassphrase
	}
	out, err := k.aead.Open(nil, e.Nonce, e.Ciphertext, additionalData)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	return out, nil
}
