package encrypted

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const canary = `{"version":4,"resources":[{"instances":[{"attributes":{"password":"canary-Zx81q"}}]}]}`

func TestEnvelope(t *testing.T) {
	k, err := NewKey("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := k.Seal([]byte(canary))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("canary")) || !IsEnvelope(sealed) {
		t.Fatalf("not sealed: %s", sealed)
	}
	again, _ := k.Seal([]byte(canary))
	if bytes.Equal(sealed, again) {
		t.Error("two seals of the same state are identical: the nonce is not fresh")
	}
	for name, tc := range map[string]struct {
		passphrase string
		data       []byte
		want       error
	}{
		"right passphrase": {"correct horse", sealed, nil},
		"wrong passphrase": {"battery staple", sealed, ErrWrongPassphrase},
		"changed file":     {"correct horse", bytes.Replace(sealed, []byte(`"ciphertext": "`), []byte(`"ciphertext": "AAAA`), 1), ErrWrongPassphrase},
		"plaintext state":  {"correct horse", []byte(canary), ErrNotEncrypted},
	} {
		t.Run(name, func(t *testing.T) {
			k2, err := KeyFor(tc.passphrase, tc.data)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err != nil {
				return
			}
			plain, err := k2.Open(again)
			if err != nil || string(plain) != canary {
				t.Fatalf("opened %q, %v", plain, err)
			}
		})
	}
	if _, err := KeyFor("correct horse", bytes.Replace(sealed, []byte(`"n": 32768`), []byte(`"n": 1073741824`), 1)); err == nil || !strings.Contains(err.Error(), "out-of-range") {
		t.Errorf("an envelope asking for 1 TiB of scrypt memory was not refused: %v", err)
	}
}

func TestServer(t *testing.T) {
	k, err := NewKey("pw")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "terraform.tfstate.enc")
	s, err := Serve(file, k)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	env := s.Env()
	if !strings.HasPrefix(env["TF_HTTP_ADDRESS"], "http://127.0.0.1:") {
		t.Fatalf("address %q", env["TF_HTTP_ADDRESS"])
	}
	do := func(method, password, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, env["TF_HTTP_ADDRESS"], strings.NewReader(body))
		req.SetBasicAuth(env["TF_HTTP_USERNAME"], password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	pw := env["TF_HTTP_PASSWORD"]
	if code, _ := do("GET", "guess", ""); code != http.StatusUnauthorized {
		t.Errorf("a wrong password got %d", code)
	}
	if code, _ := do("GET", pw, ""); code != http.StatusNotFound {
		t.Errorf("no state yet got %d, want 404", code)
	}
	if code, _ := do("POST", pw, canary); code != http.StatusOK {
		t.Fatalf("POST got %d", code)
	}
	at, _ := os.ReadFile(file)
	if bytes.Contains(at, []byte("canary")) || !IsEnvelope(at) {
		t.Fatalf("state at rest is not sealed: %s", at)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v", st.Mode().Perm())
	}
	if code, body := do("GET", pw, ""); code != http.StatusOK || body != canary {
		t.Errorf("GET got %d %q", code, body)
	}
	if code, _ := do("LOCK", pw, `{"ID":"a"}`); code != http.StatusOK {
		t.Errorf("LOCK got %d", code)
	}
	if code, body := do("LOCK", pw, `{"ID":"b"}`); code != http.StatusLocked || body != `{"ID":"a"}` {
		t.Errorf("a second LOCK got %d %q, want 423 with the holder", code, body)
	}
	if code, _ := do("UNLOCK", pw, `{"ID":"a"}`); code != http.StatusOK {
		t.Errorf("UNLOCK got %d", code)
	}
	if code, _ := do("LOCK", pw, `{"ID":"b"}`); code != http.StatusOK {
		t.Errorf("LOCK after UNLOCK got %d", code)
	}
}
