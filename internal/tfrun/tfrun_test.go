package tfrun

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCleanEnv(t *testing.T) {
	cases := map[string]struct {
		reason    string
		environ   []string
		ownConfig bool
		want      map[string]string
	}{
		"denied": {
			reason: "variables that change terraform's arguments, variables, workspace, logging or data are dropped",
			environ: []string{
				"HOME=/home/u", "PATH=/bin", "TF_CLI_ARGS=-x", "TF_CLI_ARGS_plan=-y", "TF_VAR_password=hunter2",
				"TF_WORKSPACE=prod", "TF_LOG=TRACE", "TF_LOG_PATH=/tmp/log", "TF_LOG_PROVIDER=DEBUG", "TF_DATA_DIR=/elsewhere",
				"TF_REATTACH_PROVIDERS={}", "SKYFORM_OFFLINE_PROVIDER=aws", "TF_TOKEN_app_example_com=t", "EQUALS=a=b",
			},
			want: map[string]string{
				"HOME": "/home/u", "PATH": "/bin", "TF_TOKEN_app_example_com": "t", "EQUALS": "a=b", "CHECKPOINT_DISABLE": "1",
			},
		},
		"caller config kept": {
			reason:  "without a CLI configuration of its own, terraform keeps the caller's (credentials, mirrors)",
			environ: []string{"TF_CLI_CONFIG_FILE=/home/u/.terraformrc", "TF_PLUGIN_CACHE_DIR=/cache"},
			want:    map[string]string{"TF_CLI_CONFIG_FILE": "/home/u/.terraformrc", "TF_PLUGIN_CACHE_DIR": "/cache", "CHECKPOINT_DISABLE": "1"},
		},
		"own config": {
			reason:    "with its own CLI configuration, the caller's and its plugin cache are dropped",
			environ:   []string{"TF_CLI_CONFIG_FILE=/home/u/.terraformrc", "TERRAFORM_CONFIG=/x", "TF_PLUGIN_CACHE_DIR=/cache"},
			ownConfig: true,
			want:      map[string]string{"CHECKPOINT_DISABLE": "1"},
		},
		"checkpoint": {
			reason:  "the version check is always off, whatever the caller says",
			environ: []string{"CHECKPOINT_DISABLE="},
			want:    map[string]string{"CHECKPOINT_DISABLE": "1"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, cleanEnv(tc.environ, tc.ownConfig)); d != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, d)
			}
		})
	}
}

func TestNewRefusesDeniedEnv(t *testing.T) {
	for _, k := range []string{"TF_VAR_x", "TF_CLI_ARGS", "TF_CLI_ARGS_apply", "TF_LOG", "TF_WORKSPACE", "TF_DATA_DIR"} {
		if _, err := New(t.TempDir(), WithTerraform("/bin/true"), WithEnv(k, "1")); err == nil {
			t.Errorf("WithEnv(%s) was accepted", k)
		}
	}
	r, err := New(t.TempDir(), WithTerraform("/bin/true"), WithEnv("AWS_REGION", "eu-west-1"), WithCLIConfig("/x/terraform.rc"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]bool{}
	for _, kv := range r.Env() {
		env[kv] = true
	}
	if !env["AWS_REGION=eu-west-1"] || !env["TF_CLI_CONFIG_FILE=/x/terraform.rc"] {
		t.Errorf("Env() = %v", r.Env())
	}
}

func TestFindTerraform(t *testing.T) {
	t.Setenv("SKYFORM_TERRAFORM", "/opt/tf/terraform")
	if p, err := FindTerraform(); err != nil || p != "/opt/tf/terraform" {
		t.Errorf("FindTerraform() = %q, %v; want $SKYFORM_TERRAFORM", p, err)
	}
}
