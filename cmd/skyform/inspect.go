package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/skyform/skyform/internal/deploy"
	"github.com/skyform/skyform/state"
	"github.com/spf13/cobra"
)

func newOutputCmd(s streams) *cobra.Command {
	var a runArgs
	cmd := &cobra.Command{
		Use:   "output [-f FILE] [--cloud X] [--offline] [RESOURCE [ATTRIBUTE]]",
		Short: "Show the applied resources' attributes (host, url, endpoint...)",
		Long: `Show what the last apply produced, per neutral resource: the attributes
references use (a queue's url, a database's host and port, a cluster's endpoint).
With RESOURCE, only that resource's attributes; with RESOURCE ATTRIBUTE, that
one value alone on a line, for scripts: $(skyform output orders-db host).`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := a.open(cmd.Context(), s, "output")
			if err != nil {
				return err
			}
			defer d.Close()
			outs, err := d.Outputs(cmd.Context())
			if err != nil {
				return runFailure(err)
			}
			if len(args) >= 1 {
				v, ok := outs[args[0]]
				if !ok {
					return failure(exitUsage, fmt.Errorf("no outputs for %q; has it been applied?", args[0]))
				}
				outs = map[string]json.RawMessage{args[0]: v}
				if len(args) == 2 {
					return writeAttribute(s.out, a.JSON, args[0], args[1], v)
				}
			}
			if a.JSON {
				writeJSON(s.out, outs)
				return nil
			}
			if len(outs) == 0 {
				fmt.Fprintln(s.out, "No outputs: nothing has been applied yet.")
			}
			writeOutputs(s.out, outs)
			return nil
		},
	}
	a.register(cmd)
	return cmd
}

// writeAttribute prints one attribute of a resource's outputs: strings
// raw, other values as JSON; --json prints it as JSON always.
func writeAttribute(w io.Writer, asJSON bool, resource, name string, outs json.RawMessage) error {
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(outs, &attrs); err != nil {
		return failure(exitSystem, fmt.Errorf("the outputs of %q are not an object: %w", resource, err))
	}
	v, ok := attrs[name]
	if !ok {
		names := make([]string, 0, len(attrs))
		for n := range attrs {
			names = append(names, n)
		}
		sort.Strings(names)
		return failure(exitUsage, fmt.Errorf("%q has no attribute %q; it has %s", resource, name, strings.Join(names, ", ")))
	}
	var str string
	if !asJSON && json.Unmarshal(v, &str) == nil {
		_, err := fmt.Fprintln(w, str)
		return err
	}
	_, err := fmt.Fprintf(w, "%s\n", v)
	return err
}

func writeOutputs(w io.Writer, outs map[string]json.RawMessage) {
	names := make([]string, 0, len(outs))
	for n := range outs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "%s:\n", n)
		var attrs map[string]any
		if json.Unmarshal(outs[n], &attrs) != nil {
			fmt.Fprintf(w, "  %s\n", outs[n])
			continue
		}
		keys := make([]string, 0, len(attrs))
		for k := range attrs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-16s %v\n", k, attrs[k])
		}
	}
}

func newShowCmd(s streams) *cobra.Command {
	var a runArgs
	cmd := &cobra.Command{
		Use:   "show [-f FILE] [--cloud X] [--offline]",
		Short: "List the cloud resources terraform manages, per neutral resource",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := a.open(cmd.Context(), s, "show")
			if err != nil {
				return err
			}
			defer d.Close()
			st, err := d.State(cmd.Context())
			if err != nil {
				return runFailure(err)
			}
			groups := map[string][]string{}
			if st.Values != nil && st.Values.RootModule != nil {
				for _, m := range st.Values.RootModule.ChildModules {
					name := strings.TrimPrefix(m.Address, "module.")
					var addrs []string
					collect(m, &addrs)
					groups[strings.ReplaceAll(name, "_", "-")] = addrs
				}
			}
			if a.JSON {
				writeJSON(s.out, map[string]any{"workdir": d.Dir, "offline": d.Offline(), "resources": groups})
				return nil
			}
			if len(groups) == 0 {
				fmt.Fprintf(s.out, "Nothing is deployed from %s.\n", d.Dir)
				return nil
			}
			names := make([]string, 0, len(groups))
			for n := range groups {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				fmt.Fprintf(s.out, "%s:\n", n)
				for _, addr := range groups[n] {
					fmt.Fprintf(s.out, "  %s\n", addr)
				}
			}
			return nil
		},
	}
	a.register(cmd)
	return cmd
}

func collect(m *tfjson.StateModule, out *[]string) {
	for _, r := range m.Resources {
		if r.Mode == "managed" {
			*out = append(*out, r.Address)
		}
	}
	for _, c := range m.ChildModules {
		collect(c, out)
	}
	sort.Strings(*out)
}

func newStatusCmd(s streams) *cobra.Command {
	var a runArgs
	cmd := &cobra.Command{
		Use:   "status [-f FILE] [--cloud X] [--offline]",
		Short: "Show the last apply of the blueprint: when, from which blueprint, its outputs",
		Long: `Show the deployment record kept beside the state: the blueprint's hash at the
last apply or destroy, the clouds, the time and the outputs, and whether the
blueprint changed since. It does not run terraform.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			targets, err := a.targets(false)
			if err != nil {
				return err
			}
			bp, ds, err := a.load()
			if err != nil {
				return err
			}
			if ds.HasErrors() {
				return showDiagnostics(s, a.JSON, ds, nil)
			}
			moved := bp
			if targets[0] != "" {
				moved = bp.Retarget(targets[0])
			}
			dir := deploy.Workdir(bp, moved.CloudsUsed(), a.Offline)
			rec, err := state.ReadRecord(dir)
			if err != nil {
				return failure(exitSystem, err)
			}
			changed := rec != nil && rec.BlueprintSHA256 != blueprintHash(bp)
			if a.JSON {
				writeJSON(s.out, map[string]any{"workdir": dir, "deployment": rec, "blueprint_changed": changed})
				return nil
			}
			if rec == nil {
				fmt.Fprintf(s.out, "Blueprint %q has not been applied from %s.\n", bp.Name, dir)
				return nil
			}
			mode := ""
			if rec.Offline {
				mode = " offline"
			}
			fmt.Fprintf(s.out, "Blueprint %q: last%s %s on %s at %s (workdir %s).\n", rec.Blueprint, mode, rec.Action, strings.Join(rec.Clouds, "+"), rec.Time.Format("2006-01-02 15:04:05 MST"), dir)
			if changed {
				fmt.Fprintln(s.out, "The blueprint changed since; run skyform plan to see what would change.")
			} else {
				fmt.Fprintln(s.out, "The blueprint is unchanged since.")
			}
			writeOutputs(s.out, rec.Outputs)
			return nil
		},
	}
	a.register(cmd)
	return cmd
}
