package blueprints

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRenameLayouts(t *testing.T) {
	cases := map[string]struct {
		reason   string
		src      string
		want     string
		wantRefs int
	}{
		"quoted key": {
			reason: "the quotes stay, only the name inside changes",
			src:    "blueprint: b\nresources:\n  \"q\":\n    kind: queue\n",
			want:   "blueprint: b\nresources:\n  \"jobs\":\n    kind: queue\n    renamed_from: q\n",
		},
		"block list": {
			reason: "a former name is appended as a new item in the list's own layout",
			src:    "blueprint: b\nresources:\n  q:\n    kind: queue\n    renamed_from:\n      - a\n      - b\n    retention: 1d\n",
			want:   "blueprint: b\nresources:\n  jobs:\n    kind: queue\n    renamed_from:\n      - a\n      - b\n      - q\n    retention: 1d\n",
		},
		"no final newline": {
			reason: "kind on the last line gets a newline before the new field",
			src:    "blueprint: b\nresources:\n  q:\n    kind: queue",
			want:   "blueprint: b\nresources:\n  jobs:\n    kind: queue\n    renamed_from: q\n",
		},
		"adjacent references": {
			reason:   "every reference to the resource follows, in any quoting; $${ stays literal",
			src:      "blueprint: b\nresources:\n  q: {kind: queue}\n  f:\n    kind: function\n    runtime: go\n    source: .\n    env: {A: '${q.url}${q.name}', B: \"$${q.url}\"}\n    triggers:\n    - {queue: 'q'}\n",
			want:     "blueprint: b\nresources:\n  jobs: {renamed_from: q, kind: queue}\n  f:\n    kind: function\n    runtime: go\n    source: .\n    env: {A: '${jobs.url}${jobs.name}', B: \"$${q.url}\"}\n    triggers:\n    - {queue: 'jobs'}\n",
			wantRefs: 3,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			res, ds := Rename(t.TempDir()+"/skyform.yaml", []byte(tc.src), "q", "jobs")
			if ds.HasErrors() {
				t.Fatalf("%s: %v", tc.reason, ds)
			}
			if diff := cmp.Diff(tc.want, string(res.Source)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
			if res.References != tc.wantRefs {
				t.Errorf("%d references renamed, want %d", res.References, tc.wantRefs)
			}
		})
	}
}
