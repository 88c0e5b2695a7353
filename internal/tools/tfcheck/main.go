package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfrun"
)

func main() {
	if offline.ServeIfRequested() {
		return
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("tfcheck", flag.ContinueOnError)
	fl.SetOutput(stderr)
	terraform := fl.String("terraform", "", "terraform binary (default: $SKYFORM_TERRAFORM, PATH, "+tfrun.DefaultTerraform+")")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: tfcheck [-terraform PATH] DIR...")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() == 0 {
		fl.Usage()
		return 2
	}
	tmp, err := os.MkdirTemp("", "tfcheck-")
	if err != nil {
		fmt.Fprintln(stderr, "tfcheck:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	cliConfig, err := offline.Install(filepath.Join(tmp, "offline"))
	if err != nil {
		fmt.Fprintln(stderr, "tfcheck:", err)
		return 1
	}
	opts := []tfrun.Option{tfrun.WithCLIConfig(cliConfig)}
	if *terraform != "" {
		opts = append(opts, tfrun.WithTerraform(*terraform))
	}

	dirs := fl.Args()
	reports := make([]string, len(dirs))
	failed := make([]bool, len(dirs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			work := filepath.Join(tmp, "work", fmt.Sprint(i))
			reports[i], failed[i] = check(context.Background(), dir, work, opts)
		}()
	}
	wg.Wait()
	status := 0
	for i := range dirs {
		fmt.Fprint(stdout, reports[i])
		if failed[i] {
			status = 1
		}
	}
	return status
}

// check validates dir in the scratch directory work and returns what to
// print and whether dir failed.
func check(ctx context.Context, dir, work string, opts []tfrun.Option) (string, bool) {
	var b strings.Builder
	if err := copyDir(dir, work); err != nil {
		fmt.Fprintf(&b, "%s: cannot check: %v\n", dir, err)
		return b.String(), true
	}
	r, err := tfrun.New(work, opts...)
	if err != nil {
		fmt.Fprintf(&b, "%s: cannot check: %v\n", dir, err)
		return b.String(), true
	}
	// Errors name the scratch directory; the user knows dir.
	scratch := strings.NewReplacer(work+string(filepath.Separator), dir+string(filepath.Separator), work, dir)
	if err := r.Init(ctx, tfrun.NoBackend()); err != nil {
		fmt.Fprintf(&b, "%s: %s\n", dir, strings.TrimSpace(scratch.Replace(err.Error())))
		return b.String(), true
	}
	out, err := r.Validate(ctx)
	if err != nil {
		fmt.Fprintf(&b, "%s: %s\n", dir, strings.TrimSpace(scratch.Replace(err.Error())))
		return b.String(), true
	}
	for _, d := range out.Diagnostics {
		writeDiag(&b, dir, d)
	}
	switch {
	case !out.Valid || out.ErrorCount > 0:
		fmt.Fprintf(&b, "%s: invalid (%d errors, %d warnings)\n", dir, out.ErrorCount, out.WarningCount)
		return b.String(), true
	case out.WarningCount > 0:
		fmt.Fprintf(&b, "%s: valid (%d warnings)\n", dir, out.WarningCount)
	default:
		fmt.Fprintf(&b, "%s: valid\n", dir)
	}
	return b.String(), false
}

// writeDiag prints one diagnostic as DIR/FILE:LINE:COLUMN: severity:
// summary, with the offending line and the detail indented below.
func writeDiag(b *strings.Builder, dir string, d tfjson.Diagnostic) {
	where := dir
	if d.Range != nil {
		where = fmt.Sprintf("%s:%d:%d", filepath.Join(dir, d.Range.Filename), d.Range.Start.Line, d.Range.Start.Column)
	}
	fmt.Fprintf(b, "%s: %s: %s\n", where, d.Severity, d.Summary)
	if d.Snippet != nil && strings.TrimSpace(d.Snippet.Code) != "" {
		for _, line := range strings.Split(strings.TrimRight(d.Snippet.Code, "\n"), "\n") {
			fmt.Fprintf(b, "    | %s\n", line)
		}
	}
	if d.Detail != "" {
		for _, line := range strings.Split(strings.TrimRight(d.Detail, "\n"), "\n") {
			fmt.Fprintf(b, "    %s\n", line)
		}
	}
}

// copyDir copies the configuration in src to dst, leaving out terraform's
// own state of a previous init.
func copyDir(src, dst string) error {
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("not a directory")
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		name := d.Name()
		if rel != "." && (name == ".terraform" || name == ".terraform.lock.hcl" || strings.HasSuffix(name, ".tfstate") || strings.HasSuffix(name, ".tfstate.backup")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
