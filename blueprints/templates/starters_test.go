package templates

import (
	"testing"

	"github.com/skyform/skyform/internal/diag"
)

// starterHashes pins the content of every built-in starter at its version:
// blueprints lock a starter by its hash, so a starter that changes must get
// a new version, or every blueprint using it would be refused.
var starterHashes = map[string]string{
	"http-api@1.0.0":     "sha256:b94209bea2b977fcc8c74b19c9f8b455349cee9e3045ca4dd5a36845c3000aea",
	"k8s-cluster@1.0.0":  "sha256:18b0a5516846cc1dac494cf2cbc6ca3701ca51a71818de13defbd5df2e85630d",
	"queue-worker@1.0.0": "sha256:85eb8e910b44b631a90f9a57874c22230cb5ae394073b0a02cdd1144c96c37ea",
}

func TestStarterHashes(t *testing.T) {
	for _, name := range StarterNames() {
		res, ds := (&Resolver{}).Resolve(Ref{Raw: name, Kind: Embedded, Path: name}, "", diag.Range{})
		if ds.HasErrors() {
			t.Fatalf("%s: %v", name, ds)
		}
		key := name + "@" + res.Template.Version
		if want, ok := starterHashes[key]; !ok || want != res.Template.Hash {
			t.Errorf("starter %s has hash %s, pinned %q: a changed starter needs a new version (then pin its hash here)", key, res.Template.Hash, want)
		}
	}
	if len(starterHashes) != len(StarterNames()) {
		t.Errorf("%d starters pinned, %d built in", len(starterHashes), len(StarterNames()))
	}
}
