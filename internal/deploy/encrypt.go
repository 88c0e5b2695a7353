package deploy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/skyform/skyform/state"
	"github.com/skyform/skyform/state/encrypted"
)

// PassphraseError is an encrypted state whose passphrase variable is not
// set: the run stops before terraform starts.
type PassphraseError struct {
	Env string
}

func (e *PassphraseError) Error() string {
	return fmt.Sprintf("the state is encrypted with the passphrase in $%s (state.encryption.passphrase_env), which is not set: set it to the state's passphrase", e.Env)
}

// WrongPassphraseError is an encrypted state the passphrase does not
// decrypt. Nothing was run and the state is as it was.
type WrongPassphraseError struct {
	// What is "state" or "plan", File its path.
	What, File, Env string
	Err             error
}

func (e *WrongPassphraseError) Error() string {
	return fmt.Sprintf("wrong passphrase: $%s does not decrypt the %s %s (%v); nothing was run and the state is unchanged", e.Env, e.What, e.File, e.Err)
}

func (e *WrongPassphraseError) Unwrap() error { return e.Err }

// EncryptedStateError is an encrypted state in a workdir whose blueprint
// no longer asks for encryption.
type EncryptedStateError struct {
	File string
}

func (e *EncryptedStateError) Error() string {
	return fmt.Sprintf("the state %s is encrypted, but the blueprint has no state.encryption: put it back (with the passphrase's environment variable) to use this state", e.File)
}

// serveState checks the passphrase against the workdir's encrypted state
// and serves it to terraform; without encryption, it refuses a workdir
// whose state is encrypted, which terraform could not read.
func (d *Deployment) serveState() error {
	file := filepath.Join(d.Dir, state.EncryptedStateFile)
	data, err := os.ReadFile(file)
	exists := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("cannot read the encrypted state: %w", err)
	}
	if !d.backend.Encrypted {
		if exists {
			return &EncryptedStateError{File: file}
		}
		return nil
	}
	var key *encrypted.Key
	if exists {
		key, err = encrypted.KeyFor(d.passphrase, data)
		if errors.Is(err, encrypted.ErrWrongPassphrase) {
			return &WrongPassphraseError{What: "state", File: file, Env: d.Blueprint.StateEncryption.PassphraseEnv, Err: err}
		}
		if err != nil {
			return fmt.Errorf("cannot read the encrypted state %s: %w", file, err)
		}
	} else if key, err = encrypted.NewKey(d.passphrase); err != nil {
		return err
	}
	srv, err := encrypted.Serve(file, key)
	if err != nil {
		return err
	}
	d.stateKey, d.stateServer = key, srv
	return nil
}

// removePlaintextState deletes the workdir's plaintext state once the
// encrypted one has taken its place: init has copied it (init
// --migrate-state), or it holds no resource.
func (d *Deployment) removePlaintextState() error {
	if !d.backend.Encrypted {
		return nil
	}
	plain := filepath.Join(d.Dir, "terraform.tfstate")
	if _, err := os.Stat(plain); err != nil {
		return nil
	}
	_, encErr := os.Stat(filepath.Join(d.Dir, state.EncryptedStateFile))
	n, _, err := state.LocalStateResources(d.Dir)
	if encErr != nil && (err != nil || n > 0) {
		return nil
	}
	for _, f := range []string{plain, plain + ".backup"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("cannot remove the plaintext state: %w", err)
		}
	}
	return nil
}

// SealPlan seals a plan to be saved outside the workdir with the state's
// key when the state is encrypted (a plan holds the prior state), and
// returns it as it is otherwise.
func (d *Deployment) SealPlan(plan []byte) ([]byte, error) {
	if d.stateKey == nil {
		return plan, nil
	}
	return d.stateKey.Seal(plan)
}

// OpenPlan returns the plan SealPlan saved at file, decrypted with the
// state's passphrase; a plan that is not sealed is returned as it is.
func (d *Deployment) OpenPlan(file string, data []byte) ([]byte, error) {
	if !encrypted.IsEnvelope(data) {
		return data, nil
	}
	if !d.backend.Encrypted {
		return nil, fmt.Errorf("the plan %s is encrypted, but the blueprint has no state.encryption to decrypt it with", file)
	}
	env := d.Blueprint.StateEncryption.PassphraseEnv
	// Sealed with the key of the state at the time, which may have had
	// another salt (a first plan, before any state was written).
	k, err := encrypted.KeyFor(d.passphrase, data)
	if errors.Is(err, encrypted.ErrWrongPassphrase) {
		return nil, &WrongPassphraseError{What: "plan", File: file, Env: env, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the encrypted plan %s: %w", file, err)
	}
	return k.Open(data)
}
