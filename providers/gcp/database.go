package gcp

import (
	"fmt"
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// maxTransactionLogDays is how many days of transaction logs a Cloud SQL
// Enterprise instance keeps for point-in-time recovery; Cloud SQL also wants
// it below the number of backups kept.
const maxTransactionLogDays = 7

// database maps a neutral database onto a private Cloud SQL instance.
func (l *lowering) database(r *blueprints.Resource) *tfir.Block {
	d := r.Database
	b := providers.ModuleCall(l.bp, gcp, r)
	b.Set("region", tfir.String(l.region))
	b.Set("engine", tfir.String(string(d.Engine)))
	b.Set("database_version", tfir.String(databaseVersion(d)))
	size, ok := sizeOf(blueprints.KindDatabase, d.Size)
	if !ok {
		size, _ = sizeOf(blueprints.KindDatabase, blueprints.Small)
	}
	b.Set("tier", tfir.String(size.Type))
	b.Set("storage_gb", tfir.Number(int64(d.StorageGB)))
	b.Set("high_availability", tfir.Bool(d.HighAvailability))

	backups, logDays := backupRetention(d.BackupRetentionDays)
	if (backups != d.BackupRetentionDays || logDays != d.BackupRetentionDays) &&
		!(providers.Overridden(r, gcp, "retained_backups") && providers.Overridden(r, gcp, "transaction_log_retention_days")) {
		l.ds = providers.Approximated(l.ds, gcp, r, "backup_retention_days", fmt.Sprintf("backup retention of %d days", d.BackupRetentionDays),
			"Cloud SQL counts backups rather than days and keeps fewer days of transaction logs than backups, at most %d on the Enterprise edition: the instance keeps %d daily backups and can be restored to any point of the last %d days",
			maxTransactionLogDays, backups, logDays)
	}
	b.Set("retained_backups", tfir.Number(int64(backups)))
	b.Set("transaction_log_retention_days", tfir.Number(int64(logDays)))
	b.Set("deletion_protection", tfir.Bool(d.DeletionProtection))
	b.Set("database_name", tfir.String(r.OriginalID()))
	b.Set("network_id", providers.NetworkOutput(gcp, "private_services_network_id"))

	l.ds = providers.Approximated(l.ds, gcp, r, "", "administrator password",
		"the database uses Cloud SQL IAM database authentication and no password exists anywhere: username is the database user of an administrator service account, password_secret is that service account's email, and the password is a short-lived OAuth access token of it (the Cloud SQL connectors get one with IAM authentication on); functions on gcp that refer to the database may mint such tokens")
	return b
}

// databaseVersion is the Cloud SQL name of an engine version: POSTGRES_16,
// MYSQL_8_0.
func databaseVersion(d *blueprints.Database) string {
	v := d.Version
	if d.Engine == blueprints.MySQL {
		if v == "" {
			v = "8.0"
		}
		return "MYSQL_" + strings.ReplaceAll(v, ".", "_")
	}
	if v == "" {
		v = "16"
	}
	return "POSTGRES_" + v
}

// backupRetention maps days of backups onto Cloud SQL's count of daily
// backups and days of transaction logs, which must be fewer than the backups.
func backupRetention(days int) (backups, logDays int) {
	backups = max(days, 2)
	return backups, min(backups-1, maxTransactionLogDays)
}
