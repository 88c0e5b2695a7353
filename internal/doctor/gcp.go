package doctor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"strings"
	"time"

	"cloud.google.com/go/auth"
	"cloud.google.com/go/auth/credentials"
	"github.com/googleapis/gax-go/v2"
	"github.com/skyform/skyform/blueprints"
	crm "google.golang.org/api/cloudresourcemanager/v3"
	"google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"
	"google.golang.org/api/option"
	"google.golang.org/api/serviceusage/v1"
)

// gcpProjectEnv is where plan looks for the project when --var gcp_project
// is not given.
var gcpProjectEnv = []string{"GOOGLE_CLOUD_PROJECT", "GOOGLE_PROJECT", "CLOUDSDK_CORE_PROJECT"}

// GCPOptions say how Google Cloud is reached.
type GCPOptions struct {
	// Project is the project to check (--var gcp_project); "" takes the
	// first of gcpProjectEnv set, as plan does.
	Project string
	// Endpoint replaces every Google API host with one base URL (tests, a
	// compatible API): compute at ENDPOINT/compute/v1/, the others at
	// ENDPOINT/v1/ and ENDPOINT/v3/ as on their own hosts.
	Endpoint string
	// Credentials replace Application Default Credentials.
	Credentials *auth.Credentials
	// HTTPClient, when set, carries the credentials' token endpoint's
	// requests (tests).
	HTTPClient *http.Client
}

const gcpCloud = blueprints.GCP

// gcpScope is what the checks read with.
const gcpScope = "https://www.googleapis.com/auth/cloud-platform"

func checkGCP(ctx context.Context, o GCPOptions, n *Needs) []Check {
	rest := []string{"project", "region " + n.Region}
	for _, t := range n.machineList() {
		rest = append(rest, "machine type "+t)
	}
	for _, a := range sortedKeys(n.APIs) {
		rest = append(rest, "api "+a)
	}

	cred := Check{Cloud: gcpCloud, Name: "credentials"}
	creds := o.Credentials
	if creds == nil {
		var err error
		creds, err = credentials.DetectDefault(&credentials.DetectOptions{Scopes: []string{gcpScope}, Client: o.HTTPClient})
		if err != nil {
			cred.Status, cred.Detail = Failed, "no Google Cloud credentials found: "+err.Error()
			cred.Fix = "run gcloud auth application-default login, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file"
			return append([]Check{cred}, skipRest(gcpCloud, "no credentials", rest...)...)
		}
	}
	if _, err := creds.Token(ctx); err != nil {
		cred.Status, cred.Detail = Failed, "the Google Cloud credentials give no access token: "+err.Error()
		cred.Fix = "renew them: gcloud auth application-default login, or a valid service account key in GOOGLE_APPLICATION_CREDENTIALS"
		return append([]Check{cred}, skipRest(gcpCloud, "the credentials do not work", rest...)...)
	}
	// The project as plan finds it: --var gcp_project, else the
	// environment (deploy's variable sources), never the credentials'.
	project, from := o.Project, "--var gcp_project"
	for _, k := range gcpProjectEnv {
		if project == "" {
			project, from = os.Getenv(k), k
		}
	}
	cred.Status, cred.Detail = OK, "an access token from Application Default Credentials"
	var key struct {
		Email string `json:"client_email"`
	}
	if json.Unmarshal(creds.JSON(), &key) == nil && key.Email != "" {
		cred.Detail = "an access token for " + key.Email
	}
	out := []Check{cred}

	proj := Check{Cloud: gcpCloud, Name: "project"}
	if project == "" {
		proj.Status, proj.Detail = Failed, "no project: gcp_project is not passed and "+strings.Join(gcpProjectEnv, ", ")+" are not set, so plan would stop"
		if own, _ := creds.ProjectID(ctx); own != "" {
			proj.Detail += " (the credentials belong to project " + own + ")"
		}
		proj.Fix = "pass --var gcp_project=PROJECT_ID or set GOOGLE_CLOUD_PROJECT, as for plan"
		return append(append(out, proj), skipRest(gcpCloud, "no project", rest[1:]...)...)
	}
	copts := []option.ClientOption{option.WithAuthCredentials(creds)}
	endpoint := func(p string) []option.ClientOption {
		if o.Endpoint == "" {
			return copts
		}
		return append(copts, option.WithEndpoint(strings.TrimSuffix(o.Endpoint, "/")+p))
	}
	rm, err := crm.NewService(ctx, endpoint("/")...)
	if err == nil {
		var p *crm.Project
		err = gcpRetry(ctx, func() (e error) { p, e = rm.Projects.Get("projects/" + project).Context(ctx).Do(); return })
		if err == nil {
			if p.State != "ACTIVE" {
				proj.Status, proj.Detail = Failed, fmt.Sprintf("project %s is %s", project, p.State)
				proj.Fix = "restore the project (gcloud projects undelete " + project + ") or point GOOGLE_CLOUD_PROJECT at an active one"
			} else {
				proj.Status, proj.Detail = OK, fmt.Sprintf("%s (%s, from %s) is active", project, p.DisplayName, from)
			}
		}
	}
	if err != nil {
		proj.Status = Failed
		proj.Detail, proj.Fix = gcpFailure(err, "resourcemanager.projects.get", "project "+project)
		if gcpCode(err) == http.StatusNotFound || gcpCode(err) == http.StatusForbidden {
			proj.Fix = "check the project ID " + project + " (from " + from + ") and that the credentials have resourcemanager.projects.get on it (roles/browser)"
		}
	}
	out = append(out, proj)
	if proj.Status != OK {
		return append(out, skipRest(gcpCloud, "the project is not readable", rest[1:]...)...)
	}

	// The APIs first: compute must be enabled for the region to be read.
	su, err := serviceusage.NewService(ctx, endpoint("/")...)
	if err != nil {
		return append(out, Check{Cloud: gcpCloud, Name: "apis", Status: Failed, Detail: err.Error()})
	}
	enabled := map[string]bool{}
	err = gcpRetry(ctx, func() error {
		return su.Services.List("projects/"+project).Filter("state:ENABLED").Pages(ctx, func(r *serviceusage.ListServicesResponse) error {
			for _, s := range r.Services {
				enabled[path.Base(s.Name)] = true
			}
			return nil
		})
	})
	var apis []Check
	for _, a := range sortedKeys(n.APIs) {
		c := Check{Cloud: gcpCloud, Name: "api " + a, For: n.APIs[a]}
		switch {
		case err != nil:
			c.Status = Failed
			c.Detail, c.Fix = gcpFailure(err, "serviceusage.services.list", "project "+project)
		case enabled[a]:
			c.Status, c.Detail = OK, "enabled in "+project
		default:
			c.Status, c.Detail = Failed, a+" is not enabled in "+project
			c.Fix = "gcloud services enable " + a + " --project " + project
		}
		apis = append(apis, c)
	}

	region := Check{Cloud: gcpCloud, Name: "region " + n.Region}
	ce, err := compute.NewService(ctx, endpoint("/compute/v1/")...)
	var reg *compute.Region
	if err == nil {
		err = gcpRetry(ctx, func() (e error) { reg, e = ce.Regions.Get(project, n.Region).Context(ctx).Do(); return })
	}
	switch {
	case gcpCode(err) == http.StatusNotFound:
		region.Status, region.Detail = Failed, "Compute Engine has no region "+n.Region
		region.Fix = "pick another region in the blueprint's region field (gcloud compute regions list)"
	case err != nil:
		region.Status = Failed
		region.Detail, region.Fix = gcpFailure(err, "compute.regions.get", "project "+project)
	case reg.Status != "UP":
		region.Status, region.Detail = Failed, fmt.Sprintf("region %s is %s", n.Region, reg.Status)
		region.Fix = "pick another region, or wait until Google reports it UP"
	default:
		region.Status, region.Detail = OK, fmt.Sprintf("%s is up (%d zones)", n.Region, len(reg.Zones))
	}
	out = append(out, region)
	if region.Status != OK {
		for _, t := range n.machineList() {
			out = append(out, skipRest(gcpCloud, "the region could not be read", "machine type "+t)...)
		}
		return append(out, apis...)
	}

	for _, t := range n.machineList() {
		c := Check{Cloud: gcpCloud, Name: "machine type " + t, For: n.Machines[t]}
		var zones []string
		var ferr error
		for _, z := range reg.Zones {
			zone := path.Base(z)
			err := gcpRetry(ctx, func() error { _, e := ce.MachineTypes.Get(project, zone, t).Context(ctx).Do(); return e })
			if err == nil {
				zones = append(zones, zone)
			} else if gcpCode(err) != http.StatusNotFound {
				ferr = err
				break
			}
		}
		switch {
		case ferr != nil:
			c.Status = Failed
			c.Detail, c.Fix = gcpFailure(ferr, "compute.machineTypes.get", "project "+project)
		case len(zones) == 0:
			c.Status, c.Detail = Failed, fmt.Sprintf("no zone of %s offers %s", n.Region, t)
			c.Fix = "deploy to a region that offers " + t + " (gcloud compute machine-types list --filter name=" + t + "), or pick another size for the pool"
		default:
			c.Status, c.Detail = OK, "offered in "+join(zones)
		}
		out = append(out, c)
	}
	return append(out, apis...)
}

// gcpRetry runs a call again while Google answers 429 or 503 (the
// generated clients do not retry), backing off as gax does, five tries.
func gcpRetry(ctx context.Context, call func() error) error {
	bo := gax.Backoff{Initial: 50 * time.Millisecond, Max: 2 * time.Second, Multiplier: 2}
	for try := 1; ; try++ {
		err := call()
		if code := gcpCode(err); try == 5 || (code != http.StatusTooManyRequests && code != http.StatusServiceUnavailable) {
			return err
		}
		if err := gax.Sleep(ctx, bo.Pause()); err != nil {
			return err
		}
	}
}

func gcpCode(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}

// gcpFailure says what a failed call means; permission is the IAM
// permission the call needs.
func gcpFailure(err error, permission, on string) (detail, fix string) {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		msg := ge.Message
		if msg == "" {
			msg = http.StatusText(ge.Code)
		}
		if ge.Code == http.StatusForbidden {
			if strings.Contains(msg, "has not been used") || strings.Contains(msg, "is disabled") || hasReason(ge, "SERVICE_DISABLED", "accessNotConfigured") {
				if svc := errorService(ge); svc != "" {
					return "the API is not enabled: " + msg, "gcloud services enable " + svc + " --" + on
				}
				return "the API is not enabled: " + msg, "enable the API the message names (gcloud services enable) and retry"
			}
			return "permission denied: the credentials lack " + permission + " on " + on + " (" + msg + ")",
				"grant a role with " + permission + " on " + on + " to the credentials' account (roles/viewer has every permission doctor reads with)"
		}
		return fmt.Sprintf("%d %s", ge.Code, msg), "see the message; the call is read-only and safe to retry"
	}
	return err.Error(), "check the network, then retry"
}

// errorService is the API an ErrorInfo names (SERVICE_DISABLED carries it
// in its metadata).
func errorService(ge *googleapi.Error) string {
	for _, d := range ge.Details {
		if m, ok := d.(map[string]any); ok {
			if md, ok := m["metadata"].(map[string]any); ok {
				if s, ok := md["service"].(string); ok {
					return s
				}
			}
		}
	}
	return ""
}

func hasReason(ge *googleapi.Error, reasons ...string) bool {
	for _, it := range ge.Errors {
		for _, r := range reasons {
			if it.Reason == r {
				return true
			}
		}
	}
	for _, d := range ge.Details {
		if m, ok := d.(map[string]any); ok {
			for _, r := range reasons {
				if m["reason"] == r {
					return true
				}
			}
		}
	}
	return false
}
