package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/fakecloud"
)

var allGCPAPIs = []string{"artifactregistry.googleapis.com", "cloudbuild.googleapis.com", "cloudfunctions.googleapis.com", "cloudresourcemanager.googleapis.com",
	"compute.googleapis.com", "container.googleapis.com", "iam.googleapis.com", "pubsub.googleapis.com", "run.googleapis.com",
	"servicenetworking.googleapis.com", "sqladmin.googleapis.com", "storage.googleapis.com"}

func gcpInventory() *fakecloud.Inventory {
	return &fakecloud.Inventory{GCPAccount: &fakecloud.GCPAccount{
		ProjectID: "shop-prod", ProjectNumber: "123456789", DisplayName: "Shop",
		Regions: map[string][]string{"europe-west1": {"europe-west1-b", "europe-west1-c", "europe-west1-d"}, "us-east1": {"us-east1-b"}},
		MachineTypes: map[string][]string{
			"europe-west1-b": {"e2-standard-4", "e2-standard-8"},
			"europe-west1-c": {"e2-standard-4"},
			"europe-west1-d": {"e2-standard-4", "e2-standard-8"},
		},
		Enabled: append([]string{"bigquery.googleapis.com"}, allGCPAPIs...),
	}}
}

func TestGCP(t *testing.T) {
	bp := loadBlueprint(t, testBlueprint)
	apis := func(status string) []string {
		var out []string
		for _, a := range allGCPAPIs {
			out = append(out, status+" gcp api "+a)
		}
		return out
	}
	head := []string{"ok gcp credentials", "ok gcp project", "ok gcp region europe-west1"}
	cases := map[string]struct {
		edit   func(*fakecloud.Inventory, *GCPOptions)
		want   []string
		detail map[string]string
		fix    map[string]string
	}{
		"all pass, through paging and throttling": {
			edit: func(inv *fakecloud.Inventory, _ *GCPOptions) {
				inv.ThrottleOnce = []string{"resourcemanager.projects.get", "serviceusage.services.list", "compute.regions.get", "compute.machineTypes.get"}
			},
			want: append(append(head, "ok gcp machine type e2-standard-4", "ok gcp machine type e2-standard-8"), apis("ok")...),
			detail: map[string]string{
				"credentials":                "an access token for doctor@skyform-test.iam.gserviceaccount.com",
				"project":                    "shop-prod (Shop, from GOOGLE_CLOUD_PROJECT) is active",
				"machine type e2-standard-8": "offered in europe-west1-b, europe-west1-d",
			},
		},
		"a machine type no zone offers": {
			edit: func(inv *fakecloud.Inventory, _ *GCPOptions) {
				inv.GCPAccount.MachineTypes["europe-west1-b"] = []string{"e2-standard-4"}
				inv.GCPAccount.MachineTypes["europe-west1-d"] = []string{"e2-standard-4"}
			},
			want:   append(append(head, "ok gcp machine type e2-standard-4", "fail gcp machine type e2-standard-8"), apis("ok")...),
			detail: map[string]string{"machine type e2-standard-8": "no zone of europe-west1 offers e2-standard-8"},
		},
		"an unknown region": {
			edit: func(inv *fakecloud.Inventory, _ *GCPOptions) { delete(inv.GCPAccount.Regions, "europe-west1") },
			want: append([]string{"ok gcp credentials", "ok gcp project", "fail gcp region europe-west1",
				"skip gcp machine type e2-standard-4", "skip gcp machine type e2-standard-8"}, apis("ok")...),
			detail: map[string]string{"region europe-west1": "Compute Engine has no region europe-west1"},
		},
		"a disabled API": {
			edit: func(inv *fakecloud.Inventory, _ *GCPOptions) {
				inv.GCPAccount.Enabled = []string{"compute.googleapis.com"}
			},
			want: append(append(head, "ok gcp machine type e2-standard-4", "ok gcp machine type e2-standard-8"),
				"fail gcp api artifactregistry.googleapis.com", "fail gcp api cloudbuild.googleapis.com", "fail gcp api cloudfunctions.googleapis.com", "fail gcp api cloudresourcemanager.googleapis.com",
				"ok gcp api compute.googleapis.com", "fail gcp api container.googleapis.com", "fail gcp api iam.googleapis.com", "fail gcp api pubsub.googleapis.com", "fail gcp api run.googleapis.com",
				"fail gcp api servicenetworking.googleapis.com", "fail gcp api sqladmin.googleapis.com", "fail gcp api storage.googleapis.com"),
			fix: map[string]string{"api pubsub.googleapis.com": "gcloud services enable pubsub.googleapis.com --project shop-prod"},
		},
		"compute disabled: the region cannot be read": {
			edit: func(inv *fakecloud.Inventory, _ *GCPOptions) {
				inv.GCPAccount.Enabled = allGCPAPIs[:4]
			},
			want:   []string{"ok gcp credentials", "ok gcp project", "fail gcp region europe-west1", "skip gcp machine type e2-standard-4", "skip gcp machine type e2-standard-8"},
			detail: map[string]string{"region europe-west1": "the API is not enabled: compute.googleapis.com has not been used in project 123456789 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/compute.googleapis.com/overview?project=123456789 then retry."},
			fix:    map[string]string{"region europe-west1": "gcloud services enable compute.googleapis.com --project shop-prod"},
		},
		"a denied permission names it": {
			edit: func(inv *fakecloud.Inventory, _ *GCPOptions) { inv.Deny = []string{"compute.machineTypes.get"} },
			want: append(append(head, "fail gcp machine type e2-standard-4", "fail gcp machine type e2-standard-8"), apis("ok")...),
			fix:  map[string]string{"machine type e2-standard-4": "grant a role with compute.machineTypes.get on project shop-prod to the credentials' account (roles/viewer has every permission doctor reads with)"},
		},
		"no project named: plan would stop": {
			edit:   func(_ *fakecloud.Inventory, _ *GCPOptions) { os.Setenv("GOOGLE_CLOUD_PROJECT", "") },
			want:   append([]string{"ok gcp credentials", "fail gcp project", "skip gcp region europe-west1", "skip gcp machine type e2-standard-4", "skip gcp machine type e2-standard-8"}, apis("skip")...),
			detail: map[string]string{"project": "no project: gcp_project is not passed and GOOGLE_CLOUD_PROJECT, GOOGLE_PROJECT, CLOUDSDK_CORE_PROJECT are not set, so plan would stop (the credentials belong to project shop-prod)"},
		},
		"a project being deleted": {
			edit: func(inv *fakecloud.Inventory, _ *GCPOptions) {
				inv.GCPAccount.State = "DELETE_REQUESTED"
			},
			want:   append([]string{"ok gcp credentials", "fail gcp project", "skip gcp region europe-west1", "skip gcp machine type e2-standard-4", "skip gcp machine type e2-standard-8"}, apis("skip")...),
			detail: map[string]string{"project": "project shop-prod is DELETE_REQUESTED"},
			fix:    map[string]string{"project": "restore the project (gcloud projects undelete shop-prod) or point GOOGLE_CLOUD_PROJECT at an active one"},
		},
		"another project than the credentials'": {
			edit:   func(_ *fakecloud.Inventory, o *GCPOptions) { o.Project = "shop-test" },
			want:   append([]string{"ok gcp credentials", "fail gcp project", "skip gcp region europe-west1", "skip gcp machine type e2-standard-4", "skip gcp machine type e2-standard-8"}, apis("skip")...),
			detail: map[string]string{"project": "permission denied: the credentials lack resourcemanager.projects.get on project shop-test (Permission 'resourcemanager.projects.get' denied on resource 'projects/shop-test' (or it may not exist).)"},
			fix:    map[string]string{"project": "check the project ID shop-test (from --var gcp_project) and that the credentials have resourcemanager.projects.get on it (roles/browser)"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			inv := gcpInventory()
			srv := fakecloud.New(inv)
			defer srv.Close()
			key := filepath.Join(t.TempDir(), "key.json")
			if err := os.WriteFile(key, srv.GCPKeyFile(), 0o600); err != nil {
				t.Fatal(err)
			}
			t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", key)
			t.Setenv("GOOGLE_CLOUD_PROJECT", "shop-prod")
			t.Setenv("GOOGLE_PROJECT", "")
			t.Setenv("CLOUDSDK_CORE_PROJECT", "")
			o := GCPOptions{Endpoint: srv.URL}
			tc.edit(inv, &o)
			n, _, err := Requirements(bp.Retarget(blueprints.GCP), blueprints.GCP)
			if err != nil {
				t.Fatal(err)
			}
			got := checkGCP(context.Background(), o, n)
			if strings.Contains(name, "cannot be read") {
				got = got[:5]
			}
			wantChecks(t, got, tc.want, tc.detail, tc.fix)
		})
	}

	t.Run("a credentials file that is not there", func(t *testing.T) {
		t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", filepath.Join(t.TempDir(), "missing.json"))
		n, _, err := Requirements(bp.Retarget(blueprints.GCP), blueprints.GCP)
		if err != nil {
			t.Fatal(err)
		}
		got := checkGCP(context.Background(), GCPOptions{Endpoint: "http://127.0.0.1:1"}, n)
		if got[0].Status != Failed || !strings.Contains(got[0].Detail, "no Google Cloud credentials found") {
			t.Errorf("got %+v", got[0])
		}
		for _, c := range got[1:] {
			if c.Status != Skipped {
				t.Errorf("%s: %s, want skipped", c.Name, c.Status)
			}
		}
	})
}
