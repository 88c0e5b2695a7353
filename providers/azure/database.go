package azure

import (
	"strings"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/providers"
)

// postgresStorageGB are the storage sizes of a PostgreSQL flexible server,
// in GB (storage_mb / 1024); 4095 is Azure's P50 disk.
var postgresStorageGB = []int{32, 64, 128, 256, 512, 1024, 2048, 4095, 4096, 8192, 16384, 32767}

// minPostgresBackupDays is the shortest backup retention of PostgreSQL.
const minPostgresBackupDays = 7

// mysqlVersions maps the neutral MySQL versions to Azure's names.
var mysqlVersions = map[string]string{"8.0": "8.0.21", "8.4": "8.4"}

// zonelessRegions are Azure regions of the region table that have no
// availability zones, where a standby can only run in the same zone.
var zonelessRegions = map[string]bool{"westus": true}

func (l *lowering) database(r *blueprints.Resource) *tfir.Block {
	d := r.Database
	b := providers.ModuleCall(l.bp, azure, r)
	inGroup(b)
	b.Set("engine", tfir.String(string(d.Engine)))

	version := d.Version
	if d.Engine == blueprints.MySQL {
		version = mysqlVersions[d.Version]
	}
	b.Set("engine_version", tfir.String(version))

	size := sizeOf(blueprints.KindDatabase, d.Size)
	sku := size.Type
	if d.HighAvailability && strings.HasPrefix(sku, "B_") {
		sku = haDatabaseSKU
		l.ds = providers.Approximated(l.ds, azure, r, "high_availability", "high availability",
			"Burstable servers (size %s) have no high availability on Azure; the smallest General Purpose size %s (2 vCPU, 8 GiB) is used instead", d.Size, sku)
	} else if size.Note != "" {
		l.ds = providers.Approximated(l.ds, azure, r, "size", "size",
			"%s is %s (%d vCPU, %g GiB): %s", d.Size, sku, size.VCPU, size.MemoryGiB, size.Note)
	}
	b.Set("sku_name", tfir.String(sku))

	storage := d.StorageGB
	if d.Engine == blueprints.Postgres {
		storage = postgresStorage(d.StorageGB)
		if storage != d.StorageGB {
			l.ds = providers.Approximated(l.ds, azure, r, "storage_gb", "storage",
				"PostgreSQL flexible server storage comes in fixed sizes (32, 64, 128, ... GB); %d GB is rounded up to %d GB", d.StorageGB, storage)
		}
	}
	b.Set("storage_gb", tfir.Number(int64(storage)))

	b.Set("high_availability", tfir.Bool(d.HighAvailability))
	if d.HighAvailability {
		if region, _, _ := l.bp.Region.For(azure); zonelessRegions[region] {
			b.Set("high_availability_mode", tfir.String("SameZone"))
			l.ds = providers.Approximated(l.ds, azure, r, "high_availability", "high availability",
				"region %s has no availability zones: the standby runs in the same zone, so it survives a server failure but not a datacenter outage", region)
		}
	}

	days := d.BackupRetentionDays
	if d.Engine == blueprints.Postgres && days < minPostgresBackupDays {
		l.ds = providers.Approximated(l.ds, azure, r, "backup_retention_days", "backup retention",
			"PostgreSQL flexible servers keep backups 7 to 35 days; %d days becomes 7", days)
		days = minPostgresBackupDays
	}
	b.Set("backup_retention_days", tfir.Number(int64(days)))
	b.Set("deletion_protection", tfir.Bool(d.DeletionProtection))
	b.Set("database_name", tfir.String(r.OriginalID()))

	engine := string(d.Engine)
	b.Set("subnet_id", providers.NetworkOutput(azure, engine+"_subnet_id"))
	b.Set("private_dns_zone_id", providers.NetworkOutput(azure, engine+"_private_dns_zone_id"))

	if d.Engine == blueprints.Postgres {
		l.ds = providers.Approximated(l.ds, azure, r, "engine", "administrator password",
			"the PostgreSQL server accepts Microsoft Entra ID tokens only, so no password exists: password_secret is \"entra-id\", username is the Entra administrator (a managed identity, or the group set with the entra_administrator override), and clients sign in with a token for https://ossrdbms-aad.database.windows.net")
	}
	return b
}

// postgresStorage rounds a size up to the next PostgreSQL storage size.
func postgresStorage(gb int) int {
	for _, s := range postgresStorageGB {
		if s >= gb {
			return s
		}
	}
	return postgresStorageGB[len(postgresStorageGB)-1]
}
