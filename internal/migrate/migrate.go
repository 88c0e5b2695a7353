// Package migrate writes the runbook for moving a deployed blueprint from
// one cloud to another: what differs on the target (the portability
// report's notes for it), the plan there, and the steps in order, each
// with the commands to run and the check that says it worked. The
// commands read every name and address from `skyform output`, so the
// runbook holds no identifier that could go stale.
package migrate

import (
	"fmt"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/portability"
	"github.com/skyform/skyform/internal/summary"
)

// Runbook is the whole migration of one blueprint.
type Runbook struct {
	Blueprint string           `json:"blueprint"`
	File      string           `json:"file"`
	From      blueprints.Cloud `json:"from"`
	To        blueprints.Cloud `json:"to"`
	// Score is the target's portability score; Differences are the
	// features the target approximates or cannot express.
	Score       portability.Score `json:"score"`
	Differences []Difference      `json:"differences"`
	// Plan is terraform's plan of the blueprint on the target, in
	// blueprint terms; Offline says it came from the offline providers.
	Plan    *summary.Summary `json:"plan"`
	Offline bool             `json:"offline"`
	Steps   []Step           `json:"steps"`
}

// Difference is one feature the target expresses differently.
type Difference struct {
	Resource string             `json:"resource"`
	Feature  string             `json:"feature,omitempty"`
	Status   portability.Status `json:"status"`
	Summary  string             `json:"summary"`
	Detail   string             `json:"detail,omitempty"`
}

// Step is one step of the runbook.
type Step struct {
	Number int    `json:"number"`
	Phase  Phase  `json:"phase"`
	Title  string `json:"title"`
	// Resource is the neutral resource the step is about; empty for the
	// steps about the whole blueprint.
	Resource string `json:"resource,omitempty"`
	Why      string `json:"why"`
	// Commands run in order, in one bash session, from the blueprint's directory.
	Commands []string `json:"commands"`
	Check    Check    `json:"check"`
}

// Check says how to tell a step worked.
type Check struct {
	Commands []string `json:"commands"`
	Expect   string   `json:"expect"`
}

// Phase groups steps; the runbook goes through the phases in this order.
type Phase string

// The phases.
const (
	Prepare  Phase = "prepare"
	Create   Phase = "create"
	Copy     Phase = "copy"
	Switch   Phase = "switch"
	Drain    Phase = "drain"
	Verify   Phase = "verify"
	Retarget Phase = "retarget"
	Destroy  Phase = "destroy"
)

// Phases lists the phases in order.
var Phases = []Phase{Prepare, Create, Copy, Switch, Drain, Verify, Retarget, Destroy}

// Input is what a runbook is built from.
type Input struct {
	Blueprint   *blueprints.Blueprint
	From, To    blueprints.Cloud
	Portability *portability.Report
	Plan        *summary.Summary
	Offline     bool
	// Regions are the native regions of the source and the target.
	FromRegion, ToRegion string
}

// Build writes the runbook. Resources the blueprint places on other clouds
// than From stay where they are and are not part of it.
func Build(in Input) (*Runbook, error) {
	if in.From == in.To {
		return nil, fmt.Errorf("the source and target cloud are both %s", in.From)
	}
	rb := &Runbook{Blueprint: in.Blueprint.Name, File: in.Blueprint.File, From: in.From, To: in.To, Plan: in.Plan, Offline: in.Offline, Differences: []Difference{}}
	if rep := in.Portability; rep != nil {
		for _, s := range rep.Scores {
			if s.Cloud == in.To {
				rb.Score = s
			}
		}
		for i := range rep.Rows {
			row := &rep.Rows[i]
			cell := row.Cell(in.To)
			if cell == nil {
				continue
			}
			for _, n := range cell.Notes {
				rb.Differences = append(rb.Differences, Difference{Resource: row.Resource, Feature: row.Feature, Status: cell.Status, Summary: n.Summary, Detail: n.Detail})
			}
		}
	}
	w := writer{in: in, file: in.Blueprint.File}
	for _, p := range Phases {
		for _, s := range w.phase(p) {
			s.Phase = p
			s.Number = len(rb.Steps) + 1
			rb.Steps = append(rb.Steps, s)
		}
	}
	return rb, nil
}

// writer writes the steps of each phase.
type writer struct {
	in   Input
	file string
}

func (w *writer) resources(k blueprints.Kind) []*blueprints.Resource {
	var out []*blueprints.Resource
	for _, r := range w.in.Blueprint.Placed(w.in.From) {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

// sky is a skyform command line on cloud c.
func (w *writer) sky(c blueprints.Cloud, args string) string {
	f := ""
	if w.file != "skyform.yaml" {
		f = " -f " + shellQuote(w.file)
	}
	return "skyform " + strings.SplitN(args, " ", 2)[0] + f + " --cloud " + string(c) + suffix(args)
}

func suffix(args string) string {
	if _, rest, ok := strings.Cut(args, " "); ok {
		return " " + rest
	}
	return ""
}

// out is the shell expression of one output attribute of r on cloud c.
func (w *writer) out(c blueprints.Cloud, r *blueprints.Resource, attr string) string {
	return "$(" + w.sky(c, "output "+r.Name+" "+attr) + ")"
}

func (w *writer) phase(p Phase) []Step {
	from, to := w.in.From, w.in.To
	switch p {
	case Prepare:
		return []Step{{
			Title: fmt.Sprintf("Check %s is ready and read what differs there", to),
			Why: fmt.Sprintf("The credentials, the region %s and the sizes the blueprint asks for must be available on %s before anything is created; "+
				"the features %s approximates change behaviour the application may rely on (listed under What differs).", w.in.ToRegion, to, to),
			Commands: []string{w.sky(to, "doctor"), w.sky(to, "portability")},
			Check:    Check{Commands: []string{w.sky(to, "doctor") + " --json"}, Expect: "exit code 0: every check passes; no feature is unsupported on " + string(to)},
		}}
	case Create:
		return []Step{{
			Title:    fmt.Sprintf("Create the blueprint on %s beside %s", to, from),
			Why:      fmt.Sprintf("The target gets its own deployment (its own workdir and state); the %s deployment keeps running and serving until the switch.", from),
			Commands: []string{w.sky(to, "plan") + " -out " + string(to) + ".plan", w.skyPlain("apply") + " " + string(to) + ".plan"},
			Check:    Check{Commands: []string{w.sky(to, "plan") + " --detailed-exitcode"}, Expect: "exit code 0: No changes, the target matches the blueprint"},
		}}
	case Copy:
		var steps []Step
		for _, r := range w.resources(blueprints.KindDatabase) {
			steps = append(steps, w.copyDatabase(r))
		}
		return steps
	case Switch:
		var steps []Step
		for _, r := range w.resources(blueprints.KindQueue) {
			steps = append(steps, Step{
				Resource: r.Name,
				Title:    fmt.Sprintf("Send new messages to queue %s on %s", r.Name, to),
				Why: fmt.Sprintf("Producers outside the blueprint still send to the %s queue; once they send to the %s one, the %s consumers get every new message "+
					"and the %s queue only drains.", from, to, to, from),
				Commands: []string{
					"echo \"new address: " + w.out(to, r, "url") + "\"",
					"echo \"new name: " + w.out(to, r, "name") + "\"",
					"# set them in every producer's configuration, then redeploy the producers",
				},
				Check: Check{Commands: []string{queueCount(to, w, r)}, Expect: fmt.Sprintf("messages arrive on %s (the count rises, or the consumers' logs show them), and no producer sends to %s any more", to, from)},
			})
		}
		for _, r := range w.resources(blueprints.KindFunction) {
			if !hasHTTP(r) {
				continue
			}
			steps = append(steps, Step{
				Resource: r.Name,
				Title:    fmt.Sprintf("Point %s's callers at its address on %s", r.Name, to),
				Why:      "An http function has a new address on every cloud; callers (a DNS name, an API gateway, other services) must use the new one.",
				Commands: []string{
					"echo \"new address: " + w.out(to, r, "url") + "\"",
					"# change the DNS record or the callers' configuration to it",
				},
				Check: Check{Commands: []string{"curl -fsS -o /dev/null -w '%{http_code}\\n' " + w.out(to, r, "url")}, Expect: "an HTTP status the function answers with (2xx), served on " + string(to)},
			})
		}
		for _, r := range w.resources(blueprints.KindDatabase) {
			steps = append(steps, Step{
				Resource: r.Name,
				Title:    fmt.Sprintf("Point clients outside the blueprint at %s on %s", r.Name, to),
				Why:      "Functions in the blueprint already read the target's host through their references; anything else that connects (reports, admin tools, other services) must be changed by hand.",
				Commands: []string{"echo \"host " + w.out(to, r, "host") + " port " + w.out(to, r, "port") + " database " + w.out(to, r, "name") + "\""},
				Check:    Check{Commands: []string{dbSessions(w, from, r)}, Expect: "no sessions on the source database other than this check's own and the cloud's agents"},
			})
		}
		return steps
	case Drain:
		var steps []Step
		for _, r := range w.resources(blueprints.KindQueue) {
			steps = append(steps, Step{
				Resource: r.Name,
				Title:    fmt.Sprintf("Let queue %s on %s drain", r.Name, from),
				Why:      fmt.Sprintf("Messages sent before the switch are still on %s; its consumers keep running until none is left, so nothing is lost.", from),
				Commands: []string{"# wait; repeat the check until it holds twice, a visibility timeout apart"},
				Check:    Check{Commands: []string{queueCount(from, w, r)}, Expect: "0 messages waiting and 0 in flight" + deadLetterNote(r)},
			})
		}
		return steps
	case Verify:
		var cmds []string
		for _, r := range w.resources(blueprints.KindFunction) {
			cmds = append(cmds, functionLogs(w, to, r))
		}
		for _, r := range w.resources(blueprints.KindCluster) {
			cmds = append(cmds, kubeconfig(w, to, r), "kubectl get nodes", "kubectl get deployments,statefulsets --all-namespaces")
		}
		steps := []Step{}
		for _, r := range w.resources(blueprints.KindCluster) {
			steps = append(steps, Step{
				Resource: r.Name,
				Title:    fmt.Sprintf("Move %s's workloads to its cluster on %s", r.Name, to),
				Why:      "skyform creates the cluster, not what runs on it: apply the same manifests or Helm releases to the new cluster; move volumes' data with a backup tool both clusters can read (Velero with a bucket, or the application's own export).",
				Commands: []string{kubeconfig(w, to, r), "kubectl apply -f <your manifests>   # or: helm upgrade --install ... for each release"},
				Check:    Check{Commands: []string{"kubectl get nodes", "kubectl get deployments --all-namespaces"}, Expect: "every node Ready and every deployment with all replicas available, as on the source cluster"},
			})
		}
		steps = append(steps, Step{
			Title:    fmt.Sprintf("Verify the workload runs on %s alone", to),
			Why:      "Before anything is destroyed: the target handles the traffic, its functions succeed, and the target deployment matches the blueprint.",
			Commands: append([]string{w.sky(to, "status")}, cmds...),
			Check:    Check{Commands: []string{w.sky(to, "plan") + " --detailed-exitcode"}, Expect: "exit code 0 (no changes); the functions' logs show the new messages handled without errors"},
		})
		return steps
	case Retarget:
		return []Step{{
			Title: fmt.Sprintf("Make %s the blueprint's home", to),
			Why: fmt.Sprintf("From now on the blueprint places its resources on %s, so plain skyform plan and apply (without --cloud) act on the new deployment; "+
				"the %s deployment is still there for the last step.", to, from),
			Commands: []string{fmt.Sprintf("# in %s, set cloud: %s (and move any resource with cloud: %s); commit it", w.file, to, from)},
			Check:    Check{Commands: []string{w.skyPlain("plan") + " --detailed-exitcode"}, Expect: "exit code 0: No changes (the same deployment as --cloud " + string(to) + ")"},
		}}
	case Destroy:
		return []Step{{
			Title:    fmt.Sprintf("Destroy the blueprint on %s", from),
			Why:      "Only once the target has run alone long enough to trust it, and the source's data is no longer needed (keep a final backup or snapshot first if policy asks for one).",
			Commands: []string{w.sky(from, "plan") + " --destroy", w.sky(from, "destroy")},
			Check:    Check{Commands: []string{w.sky(from, "plan") + " --destroy --detailed-exitcode"}, Expect: "exit code 0: nothing left to destroy on " + string(from)},
		}}
	}
	return nil
}

// skyPlain is a skyform command line without --cloud.
func (w *writer) skyPlain(cmd string) string {
	if w.file != "skyform.yaml" {
		return "skyform " + cmd + " -f " + shellQuote(w.file)
	}
	return "skyform " + cmd
}

func hasHTTP(r *blueprints.Resource) bool {
	for _, t := range r.Function.Triggers {
		if t.HTTP != nil {
			return true
		}
	}
	return false
}

func deadLetterNote(r *blueprints.Resource) string {
	if r.Queue != nil && r.Queue.DeadLetter != nil {
		return "; look at the dead-letter queue too: messages there are not moved"
	}
	return ""
}

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
