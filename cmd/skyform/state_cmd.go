package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/deploy"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/state/bootstrap"
	"github.com/spf13/cobra"
	"google.golang.org/api/option"
)

func newStateCmd(s streams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "state",
		Short: "Manage where terraform keeps the blueprint's state",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newStateBootstrapCmd(s), newStatePushErroredCmd(s))
	return cmd
}

// pushErroredArgs are the flags of state push-errored: those that find
// the workdir, and --force.
type pushErroredArgs struct {
	runArgs
	Force bool
}

func newStatePushErroredCmd(s streams) *cobra.Command {
	var a pushErroredArgs
	cmd := &cobra.Command{
		Use:   "push-errored [-f FILE] [--cloud X] [--offline] [--force]",
		Short: "Push a state terraform could not save to the backend",
		Long: `When terraform cannot write the state to its backend at the end of an apply or
destroy (the bucket unreachable, credentials expired), the resources it
changed exist but the backend's state does not know them. terraform writes the
state to errored.tfstate; skyform keeps it in the blueprint's workdir as
errored-<time>.tfstate, exits with code 6, and refuses every later run of the
blueprint (a plan from the backend's state would create them again).

push-errored writes that state to the backend the workdir is initialised with
(terraform state push, holding the state lock), then archives the file as
errored-<time>.tfstate.pushed. Give it the -f, --cloud and --offline of the run
that failed; the backend is the one that run was writing to.

terraform refuses the push when the backend's state changed since (another
lineage, or another run saved a newer serial): compare the two and either
remove the errored file or push over it with --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPushErrored(cmd.Context(), s, &a)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&a.File, "file", "f", "skyform.yaml", "blueprint file")
	f.StringVar(&a.Cloud, "cloud", "", "aws, gcp or azure: the --cloud of the run that failed")
	f.BoolVar(&a.Offline, "offline", false, "the workdir of an offline run")
	f.StringVar(&a.Terraform, "terraform", "", "terraform binary (default: $SKYFORM_TERRAFORM, then PATH)")
	f.DurationVar(&a.LockTimeout, "lock-timeout", 0, "how long to wait for another run holding the workdir or the state lock")
	f.BoolVar(&a.Force, "force", false, "push even over a backend state of another lineage or a newer serial, replacing it (terraform state push -force)")
	f.BoolVar(&a.JSON, "json", false, "print machine-readable JSON on stdout")
	return cmd
}

func runPushErrored(ctx context.Context, s streams, a *pushErroredArgs) error {
	targets, err := a.targets(false)
	if err != nil {
		return err
	}
	bp, ds, err := a.load()
	if err != nil {
		return err
	}
	if ds.HasErrors() {
		return showDiagnostics(s, a.JSON, ds, a.sources(bp))
	}
	res, err := deploy.PushErrored(ctx, bp, deploy.Options{
		Target: targets[0], Offline: a.Offline, Terraform: a.Terraform, LockTimeout: a.LockTimeout,
	}, a.Force)
	var sc *deploy.StateConflictError
	if errors.As(err, &sc) {
		return failure(exitUnsaved, fmt.Errorf("%w: %s --force", sc, a.pushCommand()))
	}
	if err != nil {
		return runFailure(err)
	}
	if a.JSON {
		writeJSON(s.out, res)
		return nil
	}
	if len(res.Pushed) == 0 {
		fmt.Fprintf(s.out, "Nothing to push: %s holds no state that terraform could not save.\n", displayPath(res.Dir))
		return nil
	}
	where := "the backend"
	if res.Backend != nil {
		where = res.Backend.String()
	}
	for _, p := range res.Pushed {
		fmt.Fprintf(s.out, "Pushed %s (%d resources) to %s; kept as %s.\n", displayPath(p.File), p.Resources, where, displayPath(p.Archived))
	}
	fmt.Fprintln(s.out, "The backend's state is complete again: plan and apply run as usual.")
	return nil
}

// bootstrapArgs are the flags of state bootstrap.
type bootstrapArgs struct {
	File           string
	Cloud          string
	Bucket         string
	Region         string
	KMSKey         string
	Endpoint       string
	Project        string
	Subscription   string
	ResourceGroup  string
	StorageAccount string
	Container      string
	JSON           bool
}

// backendClouds pairs each cloud with the backend that keeps state there.
var backendClouds = map[string]blueprints.BackendType{
	"aws": blueprints.BackendS3, "gcp": blueprints.BackendGCS, "azure": blueprints.BackendAzure,
}

func newStateBootstrapCmd(s streams) *cobra.Command {
	var a bootstrapArgs
	cmd := &cobra.Command{
		Use:   "bootstrap --cloud aws|gcp|azure [--bucket NAME] [--region R] ...",
		Short: "Create the bucket or container that keeps the state, versioned and encrypted",
		Long: `Create, through the cloud's SDK, the store a remote backend keeps terraform state
in, and make it fit for state:

  aws    S3 bucket: versioning, default encryption (SSE-S3, or SSE-KMS with
         --kms-key), all public access blocked
  gcp    GCS bucket: versioning, uniform bucket-level access, public access
         prevention (Google-managed encryption, or Cloud KMS with --kms-key)
  azure  storage account (created when missing: StorageV2, TLS 1.2, HTTPS
         only, no public blob access) with blob versioning, and a private
         blob container; the resource group must exist

Running it again is safe: what exists with the right settings is left alone,
and a missing setting is added. Names not given as flags come from the
blueprint's backend (-f, default skyform.yaml), and --cloud from its type.
Credentials come only from each cloud's usual sources (environment, profiles,
application default credentials, az login) and are never written anywhere.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBootstrap(cmd.Context(), s, &a)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&a.File, "file", "f", "skyform.yaml", "blueprint whose backend supplies the names not given as flags (optional)")
	f.StringVar(&a.Cloud, "cloud", "", "aws (S3), gcp (GCS) or azure (blob container); default: the blueprint backend's")
	f.StringVar(&a.Bucket, "bucket", "", "S3 or GCS bucket name")
	f.StringVar(&a.Region, "region", "", "AWS region, GCS location or Azure location of a new store")
	f.StringVar(&a.KMSKey, "kms-key", "", "encrypt with this KMS key (AWS key ID, ARN or alias; Cloud KMS key name)")
	f.StringVar(&a.Endpoint, "endpoint", "", "an S3-compatible endpoint instead of AWS (path-style addressing), or a Cloud Storage JSON API endpoint instead of Google's (URL ending in /storage/v1/)")
	f.StringVar(&a.Project, "project", "", "Google Cloud project of a new bucket (default: GOOGLE_CLOUD_PROJECT)")
	f.StringVar(&a.Subscription, "subscription", "", "Azure subscription ID (default: ARM_SUBSCRIPTION_ID, AZURE_SUBSCRIPTION_ID)")
	f.StringVar(&a.ResourceGroup, "resource-group", "", "Azure resource group holding the storage account")
	f.StringVar(&a.StorageAccount, "storage-account", "", "Azure storage account name")
	f.StringVar(&a.Container, "container", "", "Azure blob container name")
	f.BoolVar(&a.JSON, "json", false, "print machine-readable JSON on stdout")
	return cmd
}

// fromBlueprint fills what the flags leave out from the blueprint's backend.
func (a *bootstrapArgs) fromBlueprint(s streams) error {
	complete := a.Cloud != "" && (a.Bucket != "" || (a.StorageAccount != "" && a.Container != ""))
	if complete {
		return nil
	}
	if _, err := os.Stat(a.File); err != nil {
		if a.Cloud == "" {
			return failure(exitUsage, fmt.Errorf("--cloud is needed (aws, gcp or azure): there is no blueprint at %s to take it from", displayPath(a.File)))
		}
		return nil
	}
	bp, ds, err := blueprints.Load(displayPath(a.File))
	if err != nil {
		return failure(exitSystem, err)
	}
	if ds.HasErrors() {
		_ = diag.Write(s.errOut, ds, bp.Sources())
		return failure(exitDiagnostics, fmt.Errorf("%s has errors; fix them or give every name as a flag", bp.File))
	}
	b := bp.Backend
	if a.Cloud == "" {
		for c, t := range backendClouds {
			if b != nil && b.Type == t {
				a.Cloud = c
			}
		}
		if a.Cloud == "" {
			return failure(exitUsage, fmt.Errorf("--cloud is needed (aws, gcp or azure): %s has no s3, gcs or azurerm backend to take it from", bp.File))
		}
	}
	if b == nil || b.Type != backendClouds[a.Cloud] {
		return nil
	}
	fill := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	fill(&a.Bucket, b.Bucket)
	if b.Type == blueprints.BackendS3 {
		fill(&a.Region, b.Region)
	}
	fill(&a.StorageAccount, b.StorageAccount)
	fill(&a.Container, b.Container)
	fill(&a.ResourceGroup, b.ResourceGroup)
	return nil
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// store builds the cloud's Store from the flags.
func (a *bootstrapArgs) store(ctx context.Context) (bootstrap.Store, func(), error) {
	noop := func() {}
	if a.Endpoint != "" && a.Cloud != "aws" && a.Cloud != "gcp" {
		return nil, noop, failure(exitUsage, fmt.Errorf("--endpoint is for S3-compatible stores (--cloud aws) and Cloud Storage JSON API endpoints (--cloud gcp)"))
	}
	switch a.Cloud {
	case "aws":
		st, err := bootstrap.NewS3(ctx, bootstrap.S3Options{Bucket: a.Bucket, Region: a.Region, KMSKeyID: a.KMSKey, Endpoint: a.Endpoint})
		return st, noop, err
	case "gcp":
		project := a.Project
		if project == "" {
			project = firstEnv("GOOGLE_CLOUD_PROJECT", "GOOGLE_PROJECT", "CLOUDSDK_CORE_PROJECT")
		}
		var opts []option.ClientOption
		if a.Endpoint != "" {
			opts = append(opts, option.WithEndpoint(a.Endpoint))
		}
		st, err := bootstrap.NewGCS(ctx, bootstrap.GCSOptions{Bucket: a.Bucket, Project: project, Location: a.Region, KMSKey: a.KMSKey, ClientOptions: opts})
		if err != nil {
			return nil, noop, err
		}
		return st, func() { st.Close() }, nil
	case "azure":
		sub := a.Subscription
		if sub == "" {
			sub = firstEnv("ARM_SUBSCRIPTION_ID", "AZURE_SUBSCRIPTION_ID")
		}
		if a.KMSKey != "" {
			return nil, noop, failure(exitUsage, fmt.Errorf("--kms-key is for aws and gcp; an Azure storage account's customer-managed key is set on the account itself"))
		}
		st, err := bootstrap.NewAzure(bootstrap.AzureOptions{SubscriptionID: sub, ResourceGroup: a.ResourceGroup, StorageAccount: a.StorageAccount, Container: a.Container, Location: a.Region})
		return st, noop, err
	}
	return nil, noop, failure(exitUsage, fmt.Errorf("unknown cloud %q for --cloud; allowed: aws, gcp, azure", a.Cloud))
}

func runBootstrap(ctx context.Context, s streams, a *bootstrapArgs) error {
	if err := a.fromBlueprint(s); err != nil {
		return err
	}
	st, done, err := a.store(ctx)
	if err != nil {
		return bootstrapFailure(err)
	}
	defer done()
	res, err := st.Ensure(ctx)
	if err != nil {
		return bootstrapFailure(err)
	}
	if a.JSON {
		writeJSON(s.out, res)
		return nil
	}
	showBootstrap(s.out, res)
	return nil
}

func bootstrapFailure(err error) error {
	var ee *exitError
	var me *bootstrap.MissingError
	var te *bootstrap.TakenError
	switch {
	case errors.As(err, &ee):
		return err
	case errors.As(err, &me), errors.As(err, &te):
		return failure(exitUsage, err)
	}
	return failure(exitSystem, err)
}

var storeKinds = map[string]string{"aws": "S3 bucket", "gcp": "GCS bucket", "azure": "blob container"}

// blueprintOrder is the order backend fields are shown in.
var blueprintOrder = []string{"type", "bucket", "region", "storage_account", "container", "resource_group"}

func showBootstrap(w io.Writer, res *bootstrap.Result) {
	what := "Created"
	if !res.Created {
		what = "Checked"
	}
	fmt.Fprintf(w, "%s %s %s:\n", what, storeKinds[res.Cloud], res.URL)
	for _, st := range res.Settings {
		mark := ""
		if st.Changed {
			mark = "  (set now)"
		}
		fmt.Fprintf(w, "  %-28s %s%s\n", st.Name, st.Value, mark)
	}
	var fields []string
	for _, k := range blueprintOrder {
		if v, ok := res.Blueprint[k]; ok && v != "" {
			fields = append(fields, k+": "+v)
		}
	}
	fmt.Fprintf(w, "\nKeep the blueprint's state there with:\n  backend: {%s}\n", strings.Join(fields, ", "))
}
