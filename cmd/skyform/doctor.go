package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/doctor"
	"github.com/spf13/cobra"
)

type doctorArgs struct {
	blueprintArgs
	Vars map[string]string
}

func newDoctorCmd(s streams) *cobra.Command {
	var a doctorArgs
	cmd := &cobra.Command{
		Use:   "doctor [-f FILE] [--cloud aws|gcp|azure|all] [--json]",
		Short: "Check that terraform and a cloud account can deploy the blueprint",
		Long: `Check, before a plan, everything a deployment of the blueprint needs from this
machine and the cloud account, and say what to do about each failure:

  terraform       found (SKYFORM_TERRAFORM, PATH, /usr/local/bin, skyform's
                  cache) and as new as the blueprint's root module needs
  credentials     AWS: STS GetCallerIdentity; Google Cloud: an access token
                  from Application Default Credentials; Azure: a token from
                  DefaultAzureCredential
  project         Google Cloud: the project plan would deploy to (--var
                  gcp_project, else GOOGLE_CLOUD_PROJECT, GOOGLE_PROJECT or
                  CLOUDSDK_CORE_PROJECT) exists and is active
  subscription    Azure: the subscription plan would deploy to (--var
                  azure_subscription_id, else ARM_SUBSCRIPTION_ID) is enabled
  region          exists for the account and is enabled (AWS opt-in regions)
  sizes           the EC2 instance types, GCE machine types and Azure VM sizes
                  the node pools' sizes become are offered in the region
                  (Azure: not restricted for the subscription); the database
                  class: RDS for the engine and version, Azure's flexible
                  server SKU in the engine's location capabilities
  apis            Google Cloud: every service API the generated modules use
                  is enabled

--cloud checks the blueprint moved whole to that cloud (all: to each cloud it
places resources on, the default). Every call only reads. The exit code is 0
when every check passed and 7 when one failed or could not be run.

Endpoints for tests or compatible APIs: AWS_ENDPOINT_URL as every AWS SDK
reads it; SKYFORM_GCP_ENDPOINT (one base URL for every Google API) and
SKYFORM_AZURE_ENDPOINT (Resource Manager).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDoctor(cmd, s, &a)
		},
	}
	a.register(cmd, "aws, gcp, azure or all: the clouds to check the blueprint on (default: the clouds it places resources on)")
	cmd.Flags().StringToStringVar(&a.Vars, "var", nil, "root variable as for plan: gcp_project=ID, azure_subscription_id=ID")
	return cmd
}

func runDoctor(cmd *cobra.Command, s streams, a *doctorArgs) error {
	var clouds []blueprints.Cloud
	switch a.Cloud {
	case "", "all":
	default:
		ts, err := a.targets(false)
		if err != nil {
			return err
		}
		clouds = ts
	}
	bp, ds, err := a.load()
	if err != nil {
		return err
	}
	if ds.HasErrors() {
		return refuse(s, a.JSON, ds, bp.Sources(), "nothing checked")
	}
	opts := doctor.Options{Clouds: clouds}
	if c, err := os.UserCacheDir(); err == nil {
		opts.Terraform.CacheDir = filepath.Join(c, "skyform")
	}
	for k, v := range a.Vars {
		switch k {
		case "gcp_project":
			opts.GCP.Project = v
		case "azure_subscription_id":
			opts.Azure.Subscription = v
		default:
			return failure(exitUsage, fmt.Errorf("--var %s: doctor reads gcp_project and azure_subscription_id, the root variables skyform's clouds declare", k))
		}
	}
	opts.GCP.Endpoint = os.Getenv("SKYFORM_GCP_ENDPOINT")
	opts.Azure.Endpoint = os.Getenv("SKYFORM_AZURE_ENDPOINT")
	rep, cds, err := doctor.Run(cmd.Context(), bp, opts)
	if err != nil {
		return failure(exitSystem, err)
	}
	if cds.HasErrors() {
		return refuse(s, a.JSON, cds, bp.Sources(), "nothing checked")
	}
	if a.JSON {
		writeJSON(s.out, struct {
			OK bool `json:"ok"`
			*doctor.Report
		}{rep.OK(), rep})
	} else {
		showDoctor(s.out, rep)
	}
	if !rep.OK() {
		return silent(exitChecks)
	}
	return nil
}

// showDoctor prints one line per check, the fix under each failure, and a
// summary.
func showDoctor(w io.Writer, rep *doctor.Report) {
	for _, c := range rep.Checks {
		name := c.Name
		if c.Cloud != "" {
			name = string(c.Cloud) + " " + name
		}
		status := string(c.Status)
		if c.Status == doctor.Failed {
			status = "FAIL"
		}
		detail := c.Detail
		if len(c.For) > 0 {
			detail += " (for " + strings.Join(c.For, ", ") + ")"
		}
		fmt.Fprintf(w, "%-4s  %s: %s\n", status, name, detail)
		if c.Fix != "" {
			fmt.Fprintf(w, "      fix: %s\n", c.Fix)
		}
	}
	fmt.Fprintf(w, "%d checks: %d passed, %d failed, %d skipped\n", len(rep.Checks), rep.Passed, rep.Failed, rep.Skipped)
}
