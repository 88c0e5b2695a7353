package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/importer"
	"github.com/spf13/cobra"
	"google.golang.org/api/option"
	htransport "google.golang.org/api/transport/http"
)

// importArgs are the arguments of skyform import.
type importArgs struct {
	Cloud   string
	Region  string
	Project string
	Output  string
	Name    string
	Prefix  string
	Tags    []string
	JSON    bool
	Force   bool
	// Subscription is the Azure subscription to read.
	Subscription string
}

// importReport is what skyform import did, for the view.
type importReport struct {
	*importer.Result
	File    string   `json:"file"`
	Written []string `json:"written"`
}

func newImportCmd(s streams) *cobra.Command {
	a := &importArgs{}
	cmd := &cobra.Command{
		Use:   "import --cloud aws|gcp|azure --region REGION [--project ID | --subscription ID] [-o skyform.yaml]",
		Short: "Write a blueprint and Terraform imports for what already runs in a cloud",
		Long: `import reads the queues, functions, databases and clusters a cloud account runs,
through the cloud's SDK and its usual credentials, and writes a neutral blueprint
of them (-o, default skyform.yaml), an import file beside it (skyform.imports.yaml)
naming the Terraform import ID of every cloud object skyform's modules manage for
each resource, and each function's code under functions/<name>.

Wiring becomes references: a function triggered by an imported queue gets
triggers: [{queue: NAME}], an environment value equal to an imported database's
endpoint becomes ${NAME.host}. Sizes map to the nearest neutral size, with a
warning when not exact. The next skyform plan imports the objects (import
blocks in the root module) instead of creating them.

AWS reads SQS queues, Lambda functions (their event source mappings and
URLs) and their code, RDS instances and EKS clusters with their node groups.
Azure reads Service Bus queues, Flex Consumption function apps (their triggers
from the functions the host lists, app settings, role assignments and package),
PostgreSQL and MySQL flexible servers and AKS clusters with their agent pools,
in every resource group of the --subscription (else AZURE_SUBSCRIPTION_ID) and
the --region location, with the Azure SDK's default credentials (environment,
workload identity, managed identity, Azure CLI).
GCP reads, in --project (else GOOGLE_CLOUD_PROJECT), Pub/Sub topics with their
subscriptions, Cloud Run functions (2nd gen) with their code and triggers (push
subscriptions, Eventarc, Cloud Scheduler jobs), Cloud Run services, Cloud SQL
instances and GKE clusters with their node pools, with Application Default
Credentials.

Whatever a blueprint cannot express (a container-image function, a redrive to a
queue skyform does not manage) is listed, in the output and in a comment at the
top of the blueprint. Nothing is written when reading fails, and an existing
file is kept unless --force.

Endpoints for tests or compatible APIs: AWS_ENDPOINT_URL (or
AWS_ENDPOINT_URL_<SERVICE>), as every AWS SDK reads it; SKYFORM_GCP_ENDPOINT for
every GCP API at once (with the credentials of GOOGLE_APPLICATION_CREDENTIALS, else
none); SKYFORM_AZURE_ENDPOINT (https) for Azure Resource Manager, Entra ID and the
packages' Blob Storage at once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := runImport(cmd.Context(), a)
			if err != nil {
				return err
			}
			showImport(s.out, a.JSON, rep)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&a.Cloud, "cloud", "", "the cloud to read: aws, gcp or azure")
	f.StringVar(&a.Subscription, "subscription", "", "azure: the subscription ID to read (default: AZURE_SUBSCRIPTION_ID, ARM_SUBSCRIPTION_ID)")
	f.StringVar(&a.Project, "project", "", "gcp: the project id to read (default: GOOGLE_CLOUD_PROJECT, GOOGLE_PROJECT, CLOUDSDK_CORE_PROJECT)")
	f.StringVar(&a.Region, "region", "", "the cloud's own region name (eu-west-1, europe-west1, westeurope)")
	f.StringVarP(&a.Output, "output", "o", "skyform.yaml", "the blueprint file to write")
	f.StringVar(&a.Name, "name", "", "the blueprint's name (default: the skyform-blueprint tag the resources carry, else the prefix)")
	f.StringVar(&a.Prefix, "prefix", "", "import only cloud resources whose name starts with this")
	f.StringArrayVar(&a.Tags, "tag", nil, "import only cloud resources with this tag, KEY=VALUE (repeatable: all must match)")
	f.BoolVar(&a.JSON, "json", false, "print machine-readable JSON on stdout")
	f.BoolVar(&a.Force, "force", false, "overwrite files that exist")
	return cmd
}

func runImport(ctx context.Context, a *importArgs) (*importReport, error) {
	switch blueprints.Cloud(a.Cloud) {
	case blueprints.AWS, blueprints.GCP, blueprints.Azure:
	case "":
		return nil, failure(exitUsage, errors.New("--cloud is required: aws, gcp or azure"))
	default:
		return nil, failure(exitUsage, fmt.Errorf("--cloud %q: import reads aws, gcp and azure", a.Cloud))
	}
	if a.Project != "" && blueprints.Cloud(a.Cloud) != blueprints.GCP {
		return nil, failure(exitUsage, errors.New("--project is for --cloud gcp"))
	}
	if a.Subscription != "" && blueprints.Cloud(a.Cloud) != blueprints.Azure {
		return nil, failure(exitUsage, errors.New("--subscription is for --cloud azure"))
	}
	opts := importer.Options{Region: a.Region, Name: a.Name, Prefix: a.Prefix, Tags: map[string]string{}}
	for _, t := range a.Tags {
		k, v, ok := strings.Cut(t, "=")
		if !ok || k == "" {
			return nil, failure(exitUsage, fmt.Errorf("--tag %q: write KEY=VALUE", t))
		}
		opts.Tags[k] = v
	}
	if a.Region == "" {
		return nil, failure(exitUsage, errors.New("--region is required: the cloud's own region name, such as eu-west-1"))
	}
	region, rerr := importRegion(blueprints.Cloud(a.Cloud), a.Region)
	if rerr != nil {
		return nil, rerr
	}
	a.Region, opts.Region = region, region
	if blueprints.Cloud(a.Cloud) == blueprints.GCP && a.Project == "" {
		if a.Project = firstEnv("GOOGLE_CLOUD_PROJECT", "GOOGLE_PROJECT", "CLOUDSDK_CORE_PROJECT"); a.Project == "" {
			return nil, failure(exitUsage, errors.New("--project is required for --cloud gcp: the project id, or set GOOGLE_CLOUD_PROJECT"))
		}
	}
	if a.Name != "" && (len(a.Name) > 20 || !validName(a.Name)) {
		return nil, failure(exitUsage, fmt.Errorf("--name %q: a blueprint name is lower-case letters, digits and dashes, at most 20 characters", a.Name))
	}
	out := displayPath(a.Output)
	if !a.Force {
		if _, err := os.Stat(out); err == nil {
			return nil, failure(exitUsage, fmt.Errorf("%s exists; import writes a new blueprint, so choose another -o or pass --force to overwrite it", out))
		}
	}
	var res *importer.Result
	var err error
	switch blueprints.Cloud(a.Cloud) {
	case blueprints.AWS:
		cfg, cerr := config.LoadDefaultConfig(ctx, config.WithRegion(a.Region))
		if cerr != nil {
			return nil, failure(exitSystem, fmt.Errorf("cannot load the AWS configuration: %w", cerr))
		}
		res, err = importer.ImportAWS(ctx, cfg, opts, nil)
	case blueprints.Azure:
		res, err = importAzure(ctx, a, opts)
		var ex *exitError
		if errors.As(err, &ex) {
			return nil, err
		}
	case blueprints.GCP:
		cfg, cerr := gcpImportConfig(ctx, a.Project)
		if cerr != nil {
			return nil, cerr
		}
		res, err = importer.ImportGCP(ctx, cfg, opts)
	}
	if err != nil {
		return nil, failure(exitSystem, fmt.Errorf("nothing was written: %w", err))
	}
	files, err := res.Files(filepath.ToSlash(out))
	if err != nil {
		return nil, failure(exitSystem, err)
	}
	written, err := writeImport(out, files, a.Force)
	if err != nil {
		return nil, err
	}
	return &importReport{Result: res, File: out, Written: written}, nil
}

// gcpImportConfig finds the credentials: Application Default Credentials;
// when SKYFORM_GCP_ENDPOINT points every API elsewhere, only the key file
// GOOGLE_APPLICATION_CREDENTIALS names, else none.
func gcpImportConfig(ctx context.Context, project string) (importer.GCPConfig, error) {
	cfg := importer.GCPConfig{Project: project, Endpoint: os.Getenv("SKYFORM_GCP_ENDPOINT")}
	if cfg.Endpoint != "" && os.Getenv("GOOGLE_APPLICATION_CREDENTIALS") == "" {
		// An emulator or test server: no credentials to look for.
		return cfg, nil
	}
	client, _, err := htransport.NewClient(ctx, option.WithScopes("https://www.googleapis.com/auth/cloud-platform"))
	if err != nil {
		return cfg, failure(exitSystem, fmt.Errorf("cannot find GCP credentials (Application Default Credentials: gcloud auth application-default login, or GOOGLE_APPLICATION_CREDENTIALS): %w", err))
	}
	cfg.HTTP = client
	return cfg, nil
}

// importRegion is the cloud's own name of --region: a neutral region key
// becomes the cloud's name of it; another cloud's region name is refused,
// naming this cloud's twin when the neutral table has one (reading the
// wrong name would find nothing).
func importRegion(c blueprints.Cloud, name string) (string, error) {
	reg, ok := blueprints.LookupRegion(name)
	if !ok || reg.NativeCloud == c {
		return name, nil
	}
	twin := ""
	for _, nr := range blueprints.NeutralRegions {
		if nr.Key == reg.Neutral {
			twin = nr.Native[c]
		}
	}
	if reg.Native == "" {
		return twin, nil
	}
	if twin != "" {
		return "", failure(exitUsage, fmt.Errorf("--region %q is a region of %s; %s names the same region %q", name, reg.NativeCloud, c, twin))
	}
	return "", failure(exitUsage, fmt.Errorf("--region %q is a region of %s, not of %s", name, reg.NativeCloud, c))
}

func validName(s string) bool {
	for i, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' && i > 0 || c == '-' && i > 0 && i < len(s)-1) {
			return false
		}
	}
	return s != ""
}

// writeImport writes the files into a staging directory beside the
// blueprint, checks that the blueprint parses there, then moves each file
// into place: a failure leaves nothing behind, and no existing file is
// replaced without force.
func writeImport(out string, files map[string][]byte, force bool) ([]string, error) {
	dir := filepath.Dir(out)
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	if !force {
		var exist []string
		for _, p := range paths {
			if _, err := os.Stat(filepath.FromSlash(p)); err == nil {
				exist = append(exist, displayPath(p))
			}
		}
		if len(exist) > 0 {
			return nil, failure(exitUsage, fmt.Errorf("nothing was written: %s exist; pass --force to overwrite", strings.Join(exist, ", ")))
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, failure(exitSystem, fmt.Errorf("cannot write the import: %w", err))
	}
	stage, err := os.MkdirTemp(dir, ".skyform-import-*")
	if err != nil {
		return nil, failure(exitSystem, fmt.Errorf("cannot write the import: %w", err))
	}
	defer os.RemoveAll(stage)
	rel := func(p string) string {
		r, err := filepath.Rel(dir, filepath.FromSlash(p))
		if err != nil {
			return p
		}
		return r
	}
	for _, p := range paths {
		sp := filepath.Join(stage, rel(p))
		if err := os.MkdirAll(filepath.Dir(sp), 0o755); err != nil {
			return nil, failure(exitSystem, fmt.Errorf("cannot write the import: %w", err))
		}
		if err := os.WriteFile(sp, files[p], 0o644); err != nil {
			return nil, failure(exitSystem, fmt.Errorf("cannot write the import: %w", err))
		}
	}
	staged := filepath.Join(stage, rel(out))
	if _, ds := blueprints.Parse(staged, files[filepath.ToSlash(out)]); ds.HasErrors() {
		var b strings.Builder
		diag.Write(&b, ds, diag.Sources{staged: files[filepath.ToSlash(out)]})
		return nil, failure(exitSystem, fmt.Errorf("nothing was written: the imported blueprint does not parse, which is a bug in skyform import:\n%s", b.String()))
	}
	for _, p := range paths {
		dst := filepath.FromSlash(p)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, failure(exitSystem, fmt.Errorf("cannot write the import: %w", err))
		}
		if err := os.Rename(filepath.Join(stage, rel(p)), dst); err != nil {
			return nil, failure(exitSystem, fmt.Errorf("cannot write the import: %w", err))
		}
	}
	out2 := make([]string, len(paths))
	for i, p := range paths {
		out2[i] = displayPath(p)
	}
	return out2, nil
}

func showImport(w io.Writer, asJSON bool, rep *importReport) {
	if asJSON {
		writeJSON(w, rep)
		return
	}
	fmt.Fprintf(w, "Imported %d resources from %s %s into %s (blueprint %q):\n", len(rep.Resources), rep.Cloud, rep.Region, rep.File, rep.Blueprint)
	for _, r := range rep.Resources {
		fmt.Fprintf(w, "  %-20s %-9s from %s (%d objects to import)\n", r.Name, r.Kind, r.CloudName, len(r.Imports))
	}
	if len(rep.Warnings) > 0 {
		fmt.Fprintln(w, "\nApproximated:")
		for _, f := range rep.Warnings {
			fmt.Fprintf(w, "  %s: %s\n", f.Resource, f.Message)
		}
	}
	if len(rep.Unsupported) > 0 {
		fmt.Fprintln(w, "\nNot imported (also listed at the top of the blueprint):")
		for _, f := range rep.Unsupported {
			fmt.Fprintf(w, "  %s: %s\n", f.Resource, f.Message)
		}
	}
	if len(rep.NotRead) > 0 {
		fmt.Fprintln(w, "\nNot read:")
		for _, n := range rep.NotRead {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
	fmt.Fprintf(w, "\nNext: skyform plan -f %s shows what terraform imports, updates and creates.\n", rep.File)
}
