// Package tfrun runs the terraform binary on a working directory, through
// terraform-exec, with an environment that skyform controls.
//
// Contract:
//   - Terraform's verdict on a configuration is data: Validate returns
//     terraform's diagnostics (tfjson.ValidateOutput), with file:line
//     ranges, whether or not they contain errors. A Go error means terraform
//     could not be run or its answer could not be read (no binary, a
//     cancelled context, unreadable output, init failing).
//   - The environment is the caller's minus everything that would change
//     what terraform does behind skyform's back: TF_CLI_ARGS*, TF_VAR_*,
//     TF_WORKSPACE, TF_LOG*, TF_DATA_DIR, TF_REATTACH_PROVIDERS and the
//     other variables terraform-exec manages itself. WithCLIConfig replaces
//     TF_CLI_CONFIG_FILE and drops TF_PLUGIN_CACHE_DIR, so the offline
//     mirror from internal/offline is the only source of providers.
//     The version check (checkpoint) is always disabled.
//   - Options follow terraform-exec: WithX options for New, and one option
//     type per operation where operations differ (InitOption).
//
// tfrun does not know about the offline providers; internal/offline.Install
// gives it a CLI configuration file like any other.
package tfrun
