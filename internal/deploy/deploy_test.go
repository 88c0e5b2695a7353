package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErroredStateIsKept: terraform writes errored.tfstate into the
// workdir when it cannot save state (a backend gone mid-apply); skyform
// moves it to a name no later run overwrites.
func TestErroredStateIsKept(t *testing.T) {
	d := &Deployment{Dir: t.TempDir()}
	if got := d.keepErroredState(); got != "" {
		t.Fatalf("nothing to keep, got %q", got)
	}
	if err := os.WriteFile(filepath.Join(d.Dir, "errored.tfstate"), []byte(`{"serial": 7}`), 0o600); err != nil {
		t.Fatal(err)
	}
	kept := d.keepErroredState()
	if !strings.HasPrefix(filepath.Base(kept), "errored-") || filepath.Ext(kept) != ".tfstate" {
		t.Fatalf("kept as %q", kept)
	}
	if data, err := os.ReadFile(kept); err != nil || string(data) != `{"serial": 7}` {
		t.Fatalf("state lost: %q %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(d.Dir, "errored.tfstate")); !os.IsNotExist(err) {
		t.Error("errored.tfstate is still where the next failure would overwrite it")
	}
}
