package state

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/blueprinttest"
)

var (
	parse          = blueprinttest.Parse
	s3Blueprint    = blueprinttest.S3
	keyedBlueprint = blueprinttest.Keyed
	plainBlueprint = blueprinttest.Plain
	azureBlueprint = blueprinttest.AzureRM
	gcsBlueprint   = blueprinttest.GCS
)

func TestResolveBackend(t *testing.T) {
	aws, gcp := []blueprints.Cloud{blueprints.AWS}, []blueprints.Cloud{blueprints.GCP}
	cases := map[string]struct {
		reason string
		src    string
		clouds []blueprints.Cloud
		opts   BackendRequest
		want   *Backend
	}{
		"none": {
			reason: "no backend anywhere is the local one, with nothing to pass to init",
			src:    plainBlueprint, clouds: aws,
			want: &Backend{Type: blueprints.BackendLocal, Config: map[string]string{}},
		},
		"s3 from the blueprint": {
			reason: "the key is derived per deployment; encryption and the lock file are always on",
			src:    s3Blueprint, clouds: aws,
			want: &Backend{Type: blueprints.BackendS3, Config: map[string]string{
				"bucket": "acme-tfstate", "region": "eu-west-1", "key": "shop/aws/terraform.tfstate", "encrypt": "true", "use_lockfile": "true",
			}},
		},
		"retargeted": {
			reason: "--cloud gcp is another deployment, so another derived key",
			src:    s3Blueprint, clouds: gcp, opts: BackendRequest{Target: blueprints.GCP},
			want: &Backend{Type: blueprints.BackendS3, Config: map[string]string{
				"bucket": "acme-tfstate", "region": "eu-west-1", "key": "shop/gcp/terraform.tfstate", "encrypt": "true", "use_lockfile": "true",
			}},
		},
		"offline": {
			reason: "offline runs ignore the blueprint's backend unless --backend asks for it",
			src:    s3Blueprint, clouds: aws, opts: BackendRequest{Offline: true},
			want: &Backend{Type: blueprints.BackendLocal, Config: map[string]string{}},
		},
		"offline with --backend": {
			reason: "--backend s3 takes the blueprint's settings, and the offline key ends in .offline",
			src:    s3Blueprint, clouds: aws, opts: BackendRequest{Offline: true, Type: "s3", Config: []string{"use_path_style=true"}},
			want: &Backend{Type: blueprints.BackendS3, Config: map[string]string{
				"bucket": "acme-tfstate", "region": "eu-west-1", "key": "shop/aws.offline/terraform.tfstate", "encrypt": "true", "use_lockfile": "true", "use_path_style": "true",
			}},
		},
		"flags override": {
			reason: "--backend-config wins over the blueprint, later flags over earlier ones",
			src:    s3Blueprint, clouds: aws, opts: BackendRequest{Config: []string{"bucket=other", "key=a/b.tfstate", "bucket=last"}},
			want: &Backend{Type: blueprints.BackendS3, Config: map[string]string{
				"bucket": "last", "region": "eu-west-1", "key": "a/b.tfstate", "encrypt": "true", "use_lockfile": "true",
			}},
		},
		"flags only": {
			reason: "--backend with flags needs no blueprint backend",
			src:    plainBlueprint, clouds: aws, opts: BackendRequest{Type: "gcs", Config: []string{"bucket=acme-tfstate"}},
			want: &Backend{Type: blueprints.BackendGCS, Config: map[string]string{"bucket": "acme-tfstate", "prefix": "shop/aws"}},
		},
		"another type": {
			reason: "--backend of another type than the blueprint's starts from nothing",
			src:    s3Blueprint, clouds: aws, opts: BackendRequest{Type: "local"},
			want: &Backend{Type: blueprints.BackendLocal, Config: map[string]string{}},
		},
		"gcs": {
			reason: "gcs takes a prefix, not a key",
			src:    gcsBlueprint, clouds: gcp,
			want: &Backend{Type: blueprints.BackendGCS, Config: map[string]string{"bucket": "acme-tfstate", "prefix": "shop/gcp"}},
		},
		"azurerm": {
			reason: "the blueprint's short names become terraform's; flags may use either",
			src:    azureBlueprint, clouds: []blueprints.Cloud{blueprints.Azure}, opts: BackendRequest{Config: []string{"container=other", "use_azuread_auth=true"}},
			want: &Backend{Type: blueprints.BackendAzure, Config: map[string]string{
				"storage_account_name": "acmetfstate", "container_name": "other", "resource_group_name": "platform-state",
				"key": "shop/azure/terraform.tfstate", "use_azuread_auth": "true",
			}},
		},
		"fixed key": {
			reason: "a key the blueprint fixes is kept for the blueprint's own placement",
			src:    keyedBlueprint, clouds: aws,
			want: &Backend{Type: blueprints.BackendS3, Config: map[string]string{
				"bucket": "acme-tfstate", "key": "shop/prod.tfstate", "encrypt": "true", "use_lockfile": "true",
			}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ds, err := ResolveBackend(parse(t, tc.src), tc.clouds, tc.opts)
			if err != nil || len(ds) > 0 {
				t.Fatalf("%s: %v %v", tc.reason, err, ds)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, d)
			}
		})
	}
}

func TestResolveBackendRefuses(t *testing.T) {
	aws := []blueprints.Cloud{blueprints.AWS}
	cases := map[string]struct {
		src  string
		opts BackendRequest
		want string
	}{
		"unknown type":   {plainBlueprint, BackendRequest{Type: "consul"}, `unknown backend "consul" for --backend; allowed: local, s3, gcs, azurerm`},
		"no backend":     {plainBlueprint, BackendRequest{Config: []string{"bucket=x"}}, "--backend-config needs a backend: add --backend s3|gcs|azurerm, or a backend to the blueprint"},
		"offline":        {s3Blueprint, BackendRequest{Offline: true, Config: []string{"use_path_style=true"}}, "offline runs keep state in the workdir: to use the blueprint's s3 backend offline, add --backend s3"},
		"local settings": {plainBlueprint, BackendRequest{Type: "local", Config: []string{"path=/tmp/x"}}, "the local backend keeps state in the workdir and takes no --backend-config"},
		"missing bucket": {plainBlueprint, BackendRequest{Type: "s3"}, "the s3 backend needs bucket: set backend.bucket in the blueprint or pass --backend-config bucket=..."},
		"missing container": {plainBlueprint, BackendRequest{Type: "azurerm", Config: []string{"storage_account=acme"}},
			"the azurerm backend needs container: set backend.container in the blueprint or pass --backend-config container=..."},
		"credentials":  {s3Blueprint, BackendRequest{Config: []string{"secret_key=hunter2"}}, "--backend-config secret_key: credentials are never passed as backend settings"},
		"gcs secret":   {gcsBlueprint, BackendRequest{Config: []string{"credentials=/k.json"}}, "--backend-config credentials: credentials are never passed"},
		"azure secret": {azureBlueprint, BackendRequest{Config: []string{"access_key=abc"}}, "--backend-config access_key: credentials are never passed"},
		"unlocked":     {s3Blueprint, BackendRequest{Config: []string{"use_lockfile=false"}}, "--backend-config use_lockfile=false: skyform keeps s3 state encrypted and locked (use_lockfile=true)"},
		"unencrypted":  {s3Blueprint, BackendRequest{Config: []string{"encrypt=false"}}, "skyform keeps s3 state encrypted and locked (encrypt=true)"},
		"bad setting":  {s3Blueprint, BackendRequest{Config: []string{"Bucket-Name=x"}}, `--backend-config "Bucket-Name=...": want KEY=VALUE`},
		"missing file": {s3Blueprint, BackendRequest{Config: []string{"nowhere.tfbackend"}}, "cannot read --backend-config file"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := ResolveBackend(parse(t, tc.src), aws, tc.opts)
			var ce *BackendConfigError
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v; want a BackendConfigError with %q", err, tc.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Error("the error repeats the secret")
			}
		})
	}
}

// TestFixedKeyIsNotShared: a key the blueprint fixes belongs to the
// blueprint's own placement; a retargeted or offline run using it would
// share (and overwrite) that state, so it is an error at the key.
func TestFixedKeyIsNotShared(t *testing.T) {
	bp := parse(t, keyedBlueprint)
	_, ds, err := ResolveBackend(bp, []blueprints.Cloud{blueprints.GCP}, BackendRequest{Target: blueprints.GCP})
	if err != nil || len(ds) != 1 {
		t.Fatalf("retargeted: %v %v", err, ds)
	}
	if ds[0].Summary != "backend.key would be shared by every placement" || ds[0].Range.Start.Line != 5 || ds[0].Path != "backend.key" {
		t.Errorf("retargeted: %+v", ds[0])
	}
	_, ds, err = ResolveBackend(bp, []blueprints.Cloud{blueprints.AWS}, BackendRequest{Offline: true, Type: "s3"})
	if err != nil || len(ds) != 1 || ds[0].Summary != "backend.key names the real deployment's state" {
		t.Errorf("offline: %v %v", err, ds)
	}
	// A key given for this run is the user's choice.
	b, ds, err := ResolveBackend(bp, []blueprints.Cloud{blueprints.GCP}, BackendRequest{Target: blueprints.GCP, Config: []string{"key=shop/gcp-trial.tfstate"}})
	if err != nil || len(ds) != 0 || b.Config["key"] != "shop/gcp-trial.tfstate" {
		t.Errorf("--backend-config key: %v %v %v", b, err, ds)
	}
	// --cloud naming the cloud the blueprint already uses is the same deployment.
	if _, ds, _ := ResolveBackend(bp, []blueprints.Cloud{blueprints.AWS}, BackendRequest{Target: blueprints.AWS}); len(ds) != 0 {
		t.Errorf("--cloud aws on an aws blueprint: %v", ds)
	}
}

func TestBackendFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "minio.tfbackend")
	src := "endpoints = { s3 = \"http://127.0.0.1:9000\" }\nuse_path_style = true\nregion = \"us-east-1\"\nmax_retries = 3\n"
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readBackendFile(file)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`endpoints={ s3 = "http://127.0.0.1:9000" }`, "max_retries=3", "region=us-east-1", "use_path_style=true"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("settings (-want +got):\n%s", d)
	}
	if err := os.WriteFile(file, []byte("terraform {\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readBackendFile(file); err == nil || !strings.Contains(err.Error(), "minio.tfbackend:1: a settings file holds name = value lines, not terraform blocks") {
		t.Errorf("a block: %v", err)
	}
	// The file's settings are checked like flags.
	if err := os.WriteFile(file, []byte("secret_key = \"hunter2\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = ResolveBackend(parse(t, s3Blueprint), []blueprints.Cloud{blueprints.AWS}, BackendRequest{Config: []string{file}})
	if err == nil || !strings.Contains(err.Error(), "credentials are never passed") {
		t.Errorf("a secret in a file: %v", err)
	}
}

func TestBackendBlock(t *testing.T) {
	b := &Backend{Type: blueprints.BackendS3, Config: map[string]string{"bucket": "x"}}
	data, err := b.File()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "terraform {\n  backend \"s3\" {\n  }\n}\n") || strings.Contains(string(data), "bucket") {
		t.Errorf("backend.tf:\n%s", data)
	}
	if data, _ := (&Backend{Type: blueprints.BackendLocal}).File(); data != nil {
		t.Errorf("the local backend wrote %s", data)
	}
}
