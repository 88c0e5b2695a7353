package aws

// Support windows from AWS's published calendars, as of November 2026 (the
// Lambda runtime deprecation table, the EKS Kubernetes release calendar, the
// RDS release calendars). Lowering must not read the clock, so these are
// facts to update when AWS's calendars move on, not computed dates.

// lambdaRuntime is how a neutral runtime runs on Lambda.
type lambdaRuntime struct {
	ID string
	// Replaced says why Lambda no longer takes the runtime's own identifier,
	// and ID is then the nearest runtime it still takes.
	Replaced string
}

var lambdaRuntimes = map[string]lambdaRuntime{
	"python3.12": {ID: "python3.12"},
	"python3.11": {ID: "python3.11"},
	"nodejs20": {ID: "nodejs22.x",
		Replaced: "Lambda deprecated nodejs20.x on 2026-04-30 (Node.js 20 end of life) and has since blocked creating, then updating, functions on it"},
	"nodejs22": {ID: "nodejs22.x"},
	// Go runs on the OS-only runtime: the zip holds an executable named
	// bootstrap, which Lambda starts whatever the handler says.
	"go": {ID: "provided.al2023"},
}

// eksVersion is where a Kubernetes minor version stands on EKS.
type eksVersion struct {
	// Replacement is the version used instead when EKS no longer creates
	// clusters of this one, and Replaced says why.
	Replacement, Replaced string
	// Extended says the version is past EKS standard support.
	Extended string
}

var eksVersions = map[string]eksVersion{
	// EKS itself moves clusters past extended support to the oldest version
	// it still supports; 1.31 leaves extended support days later, so 1.32.
	"1.30": {Replacement: "1.32", Replaced: "EKS ended extended support for Kubernetes 1.30 on 2026-07-23 and no longer creates clusters of it (1.31 follows on 2026-11-26)"},
	"1.31": {Extended: "Kubernetes 1.31 left EKS standard support on 2025-11-26 and its extended support ends on 2026-11-26, after which EKS upgrades the cluster to 1.32"},
	"1.32": {Extended: "Kubernetes 1.32 left EKS standard support on 2026-03-23 (extended support until 2027-03-23)"},
	"1.33": {Extended: "Kubernetes 1.33 left EKS standard support on 2026-07-29 (extended support until 2027-07-29)"},
}

// rdsExtended says which major versions are past RDS standard support, so
// that RDS enrolls new instances in paid RDS Extended Support.
var rdsExtended = map[string]string{
	"postgres 13": "RDS for PostgreSQL 13 reached the end of RDS standard support on 2026-02-28",
	"mysql 8.0":   "RDS for MySQL 8.0 reached the end of RDS standard support on 2026-07-31",
}
