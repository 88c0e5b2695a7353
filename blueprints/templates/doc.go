// Package templates owns skyform's templates: parameterised blueprints a
// platform team publishes and application teams use with
// `uses: <template>@<version>` and `with: {param: value}`.
//
// A template is a directory holding template.yaml (its name, version,
// typed parameters, labels and resources) and optionally files/, the
// starter files `skyform new` copies beside a new blueprint. It comes from
// a local directory, a git repository pinned to a semantic-version tag or a
// commit (through the git binary), or the starters embedded in skyform.
//
// The package works on YAML nodes, below the blueprint decoder: Expand
// checks the values of a `with:` mapping against the parameters and returns
// the template's labels and resources with every ${{ params.NAME }}
// replaced, each node tagged with the file it came from, so that the
// blueprint decoder reports a mistake at the template's line or at the
// blueprint's line that supplied the value, and values stay data (a ${ in a
// value never becomes a reference). A lock file beside the blueprint
// records the resolved commit and content hash of every template used, so
// that a template changing under a pinned version is refused.
//
// User mistakes are diagnostics; failures to read files or run git are
// errors.
package templates
