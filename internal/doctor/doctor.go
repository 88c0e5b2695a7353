package doctor

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/deploy"
	"github.com/skyform/skyform/internal/diag"
)

// Status is a check's verdict.
type Status string

// The verdicts. A skipped check could not be run because one it depends on
// failed (no credentials: nothing else on that cloud can be asked).
const (
	OK      Status = "ok"
	Failed  Status = "fail"
	Skipped Status = "skip"
)

// Check is one check's result.
type Check struct {
	// Cloud is empty for checks of the machine (terraform).
	Cloud blueprints.Cloud `json:"cloud,omitempty"`
	// Name says what was checked ("credentials", "region", "instance type
	// m7i.large").
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Detail is what was found.
	Detail string `json:"detail"`
	// Fix says what to do when the check did not pass.
	Fix string `json:"fix,omitempty"`
	// For names the blueprint's resources that need what was checked.
	For []string `json:"for,omitempty"`
}

// Report is the result of every check, in the order run.
type Report struct {
	Checks  []Check `json:"checks"`
	Passed  int     `json:"passed"`
	Failed  int     `json:"failed"`
	Skipped int     `json:"skipped"`
}

// OK tells whether every check passed.
func (r *Report) OK() bool { return r.Failed == 0 && r.Skipped == 0 }

func (r *Report) add(cs ...Check) {
	for _, c := range cs {
		switch c.Status {
		case OK:
			r.Passed++
		case Failed:
			r.Failed++
		default:
			r.Skipped++
		}
		r.Checks = append(r.Checks, c)
	}
}

// Options choose what is checked and how each cloud is reached.
type Options struct {
	// Clouds are the clouds to check the blueprint on, each with the whole
	// blueprint moved there; empty: the clouds the blueprint places
	// resources on.
	Clouds    []blueprints.Cloud
	Terraform TerraformOptions
	AWS       AWSOptions
	GCP       GCPOptions
	Azure     AzureOptions
}

// Run checks terraform, then each cloud in turn. When the blueprint does
// not compile for a cloud, nothing is checked and the compile's
// diagnostics come back instead.
func Run(ctx context.Context, bp *blueprints.Blueprint, opts Options) (*Report, diag.Diagnostics, error) {
	clouds, moved := opts.Clouds, len(opts.Clouds) > 0
	if !moved {
		clouds = bp.CloudsUsed()
		if len(clouds) == 0 {
			clouds = []blueprints.Cloud{bp.Cloud}
		}
	}
	needs := make([]*Needs, 0, len(clouds))
	minTF := ""
	var errs diag.Diagnostics
	for _, c := range clouds {
		b := bp
		if moved {
			b = bp.Retarget(c)
		}
		n, ds, err := Requirements(b, c)
		if err != nil {
			return nil, nil, err
		}
		if n == nil {
			errs = append(errs, ds...)
			continue
		}
		needs = append(needs, n)
		if n.MinTerraform != "" && (minTF == "" || versionLess(minTF, n.MinTerraform)) {
			minTF = n.MinTerraform
		}
	}
	if len(errs) > 0 {
		return nil, errs, nil
	}
	why := "the blueprint's root module"
	if bp.Backend != nil && bp.Backend.Type == blueprints.BackendS3 && versionLess(minTF, deploy.LockfileVersion) {
		minTF, why = deploy.LockfileVersion, "the s3 backend's state lock file (use_lockfile)"
	}
	rep := &Report{}
	rep.add(checkTerraform(ctx, opts.Terraform, minTF, why))
	for _, n := range needs {
		switch n.Cloud {
		case blueprints.AWS:
			rep.add(checkAWS(ctx, opts.AWS, n)...)
		case blueprints.GCP:
			rep.add(checkGCP(ctx, opts.GCP, n)...)
		case blueprints.Azure:
			rep.add(checkAzure(ctx, opts.Azure, n)...)
		default:
			return nil, nil, fmt.Errorf("doctor has no checks for cloud %q", n.Cloud)
		}
	}
	return rep, nil, nil
}

// skipRest marks what could not be checked after a failed check.
func skipRest(c blueprints.Cloud, why string, names ...string) []Check {
	out := make([]Check, 0, len(names))
	for _, n := range names {
		out = append(out, Check{Cloud: c, Name: n, Status: Skipped, Detail: "not checked: " + why})
	}
	return out
}

// sortedKeys returns a set's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func join(names []string) string { return strings.Join(names, ", ") }
