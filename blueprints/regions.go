package blueprints

// NeutralRegion is a region named once for every cloud.
type NeutralRegion struct {
	Key      string
	Location string
	Native   map[Cloud]string
}

// NeutralRegions is the table of neutral regions; docs/blueprint.md shows it.
var NeutralRegions = []NeutralRegion{
	{"us-east", "Virginia / South Carolina", map[Cloud]string{AWS: "us-east-1", GCP: "us-east1", Azure: "eastus"}},
	{"us-west", "Oregon", map[Cloud]string{AWS: "us-west-2", GCP: "us-west1", Azure: "westus2"}},
	{"europe-west", "Ireland / Belgium / Netherlands", map[Cloud]string{AWS: "eu-west-1", GCP: "europe-west1", Azure: "westeurope"}},
	{"europe-central", "Frankfurt", map[Cloud]string{AWS: "eu-central-1", GCP: "europe-west3", Azure: "germanywestcentral"}},
	{"europe-north", "Stockholm / Finland / Sweden", map[Cloud]string{AWS: "eu-north-1", GCP: "europe-north1", Azure: "swedencentral"}},
	{"asia-southeast", "Singapore", map[Cloud]string{AWS: "ap-southeast-1", GCP: "asia-southeast1", Azure: "southeastasia"}},
	{"asia-northeast", "Tokyo", map[Cloud]string{AWS: "ap-northeast-1", GCP: "asia-northeast1", Azure: "japaneast"}},
	{"australia-east", "Sydney", map[Cloud]string{AWS: "ap-southeast-2", GCP: "australia-southeast1", Azure: "australiaeast"}},
	{"southamerica-east", "São Paulo", map[Cloud]string{AWS: "sa-east-1", GCP: "southamerica-east1", Azure: "brazilsouth"}},
}

// nativeRegions lists each cloud's own region names that a blueprint may
// use directly, beyond those in the neutral table.
var nativeRegions = map[Cloud][]string{
	AWS: {"us-east-2", "us-west-1", "ca-central-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-central-2",
		"ap-south-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-3", "me-central-1", "af-south-1"},
	GCP: {"us-central1", "us-east4", "us-east5", "us-west2", "us-west3", "us-west4", "northamerica-northeast1",
		"europe-west2", "europe-west4", "europe-west6", "europe-west8", "europe-west9", "europe-central2",
		"asia-east1", "asia-east2", "asia-south1", "asia-northeast3", "me-west1"},
	Azure: {"eastus2", "centralus", "westus", "westus3", "canadacentral", "northeurope", "uksouth",
		"francecentral", "switzerlandnorth", "norwayeast", "centralindia", "koreacentral", "eastasia", "uaenorth"},
}

// LookupRegion resolves a region name written in a blueprint: a neutral key,
// or a cloud's own name (then Neutral is set when the name stands in the
// neutral table, so the blueprint can still move to another cloud).
func LookupRegion(name string) (Region, bool) {
	for _, nr := range NeutralRegions {
		if nr.Key == name {
			return Region{Neutral: name}, true
		}
	}
	for _, nr := range NeutralRegions {
		for _, c := range Clouds {
			if nr.Native[c] == name {
				return Region{Neutral: nr.Key, Native: name, NativeCloud: c}, true
			}
		}
	}
	for _, c := range Clouds {
		for _, n := range nativeRegions[c] {
			if n == name {
				return Region{Native: name, NativeCloud: c}, true
			}
		}
	}
	return Region{}, false
}

// RegionNames lists every name LookupRegion accepts: neutral keys first.
func RegionNames() []string {
	var out []string
	for _, nr := range NeutralRegions {
		out = append(out, nr.Key)
	}
	for _, c := range Clouds {
		for _, nr := range NeutralRegions {
			out = append(out, nr.Native[c])
		}
		out = append(out, nativeRegions[c]...)
	}
	return out
}

// For returns the region's name on cloud c. exact is false when the
// blueprint named another cloud's region and the neutral equivalent is used;
// ok is false when the region has no equivalent on c.
func (r Region) For(c Cloud) (name string, exact, ok bool) {
	if r.Native != "" && r.NativeCloud == c {
		return r.Native, true, true
	}
	for _, nr := range NeutralRegions {
		if nr.Key == r.Neutral {
			return nr.Native[c], r.Native == "", true
		}
	}
	return "", false, false
}

// Name is the region as the blueprint wrote it.
func (r Region) Name() string {
	if r.Native != "" {
		return r.Native
	}
	return r.Neutral
}
