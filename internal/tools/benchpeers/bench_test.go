package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/compiler"
)

// TestGenerate writes the programs of 3 units: the blueprint is valid and
// compiles to 3 queues and 3 functions, and each peer's program has 3 units.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir, 3, t.TempDir()); err != nil {
		t.Fatal(err)
	}
	bp, ds, err := blueprints.Load(filepath.Join(dir, "skyform", "skyform.yaml"))
	if err != nil || ds.HasErrors() {
		t.Fatalf("blueprint: %v %v", err, ds)
	}
	if len(bp.Resources) != 6 {
		t.Fatalf("%d resources, want 6", len(bp.Resources))
	}
	for _, c := range []blueprints.Cloud{blueprints.AWS, blueprints.GCP, blueprints.Azure} {
		if _, cds, err := compiler.New().Compile(bp, c); err != nil || cds.HasErrors() {
			t.Fatalf("%s: %v %v", c, err, cds.Errs())
		}
	}
	for file, unit := range map[string]string{"cdktf/main.js": "const units = 3;", "wing/main.w": "q2.setConsumer("} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil || !strings.Contains(string(data), unit) {
			t.Errorf("%s lacks %q (%v)", file, unit, err)
		}
	}
}

// TestTimed measures a child that holds memory: its peak is at least that.
func TestTimed(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	// A 64 MiB string held by the shell for a moment.
	cmd := exec.Command(sh, "-c", `x=$(head -c 67108864 /dev/zero | tr '\0' a); sleep 0.1; echo ${#x}`)
	var out bytes.Buffer
	cmd.Stdout = &out
	wall, peak, err := timed(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if wall < 100*time.Millisecond || peak < 64<<20 {
		t.Errorf("wall %v, peak %d bytes: want at least 100ms and 64 MiB", wall, peak)
	}
}

func TestTable(t *testing.T) {
	rows := []row{
		{units: 1000, tool: "skyform compile --cloud aws", group: "skyform-aws", wall: 50 * time.Millisecond, peak: 60 << 20, output: "2000 module calls"},
		{units: 1000, tool: "skyform compile --cloud gcp", group: "skyform-gcp", wall: 100 * time.Millisecond, peak: 60 << 20, output: "2000 module calls"},
		{units: 1000, tool: "skyform compile --cloud azure", group: "skyform-azure", wall: 25 * time.Millisecond, peak: 60 << 20, output: "2001 module calls"},
		{units: 1000, tool: "wing compile -t tf-aws", group: "peer", wall: 20 * time.Second, peak: 900 << 20, output: "8001 resources"},
		{units: 1000, tool: "cdktf synth", group: "peer", err: os.ErrNotExist},
	}
	var b bytes.Buffer
	printTable(&b, []int{1000}, rows)
	for _, want := range []string{
		"| 1000 | wing compile -t tf-aws | 20.0 s | 900 MiB | 8001 resources | 400× / 200× / 800× |",
		"| 1000 | **fastest peer (wing compile -t tf-aws) ÷ skyform** | | | | aws 400×, gcp 200×, azure 800× |",
		"| 1000 | cdktf synth | failed |",
		"Failed: 1000 units, cdktf synth.",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
}
