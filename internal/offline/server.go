package offline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// server is one offline provider: the real schema, and values made up
// without calling any cloud.
type server struct {
	name   string
	schema *Schema

	mu  sync.Mutex
	cfg providerConfig
}

var _ tfprotov5.ProviderServer = (*server)(nil)

// providerConfig is what the offline provider keeps of its configuration:
// the placement that fake values mention, so an ARN says the region the
// configuration asked for.
type providerConfig struct {
	region, project, subscription, tenant string
}

// newServer returns the offline provider named name (aws, google, azurerm).
func newServer(name string) (*server, error) {
	s, err := LoadSchema(name)
	if err != nil {
		return nil, err
	}
	return &server{name: name, schema: s}, nil
}

func (s *server) config() providerConfig {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

func errDiag(summary string, err error) []*tfprotov5.Diagnostic {
	d := &tfprotov5.Diagnostic{Severity: tfprotov5.DiagnosticSeverityError, Summary: summary}
	if err != nil {
		d.Detail = err.Error()
	}
	return []*tfprotov5.Diagnostic{d}
}

func (s *server) unsupported(what string) []*tfprotov5.Diagnostic {
	return []*tfprotov5.Diagnostic{{
		Severity: tfprotov5.DiagnosticSeverityError,
		Summary:  what + " is not supported offline",
		Detail:   fmt.Sprintf("The offline %s provider serves the real schemas but only validates, plans, applies, reads and imports with made-up values; %s needs the real provider.", s.name, what),
	}}
}

func decode(dv *tfprotov5.DynamicValue, typ tftypes.Type) (tftypes.Value, error) {
	if dv == nil || (dv.MsgPack == nil && dv.JSON == nil) {
		return tftypes.NewValue(typ, nil), nil
	}
	return dv.Unmarshal(typ)
}

func encode(typ tftypes.Type, v tftypes.Value) (*tfprotov5.DynamicValue, error) {
	dv, err := tfprotov5.NewDynamicValue(typ, v)
	if err != nil {
		return nil, err
	}
	return &dv, nil
}

// seed is a digest of a configuration, the stand-in for an object's name
// when it has none.
func seed(typeName string, dv *tfprotov5.DynamicValue) string {
	h := sha256.New()
	h.Write([]byte(typeName))
	if dv != nil {
		h.Write(dv.MsgPack)
		h.Write(dv.JSON)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func (s *server) resource(typeName string) (*tfprotov5.Schema, []*tfprotov5.Diagnostic) {
	rs, ok := s.schema.Resources[typeName]
	if !ok {
		return nil, errDiag("Unknown resource type "+typeName, fmt.Errorf("the offline %s provider carries only the types skyform emits; run `make schemas` after adding one to a module", s.name))
	}
	return rs, nil
}

func (s *server) GetMetadata(context.Context, *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{ServerCapabilities: &tfprotov5.ServerCapabilities{}}
	for _, name := range sortedKeys(s.schema.Resources) {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(s.schema.DataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: name})
	}
	return resp, nil
}

func sortedKeys(m map[string]*tfprotov5.Schema) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s *server) GetProviderSchema(context.Context, *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	return &tfprotov5.GetProviderSchemaResponse{
		ServerCapabilities: &tfprotov5.ServerCapabilities{},
		Provider:           s.schema.Provider,
		ResourceSchemas:    s.schema.Resources,
		DataSourceSchemas:  s.schema.DataSources,
		Functions:          map[string]*tfprotov5.Function{},
	}, nil
}

func (s *server) GetResourceIdentitySchemas(context.Context, *tfprotov5.GetResourceIdentitySchemasRequest) (*tfprotov5.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov5.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov5.ResourceIdentitySchema{}}, nil
}

func (s *server) PrepareProviderConfig(_ context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (s *server) ConfigureProvider(_ context.Context, req *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	v, err := decode(req.Config, s.schema.Provider.ValueType())
	if err != nil {
		return &tfprotov5.ConfigureProviderResponse{Diagnostics: errDiag("Cannot read the provider configuration", err)}, nil
	}
	var attrs map[string]tftypes.Value
	if !v.IsNull() && v.IsKnown() {
		_ = v.As(&attrs)
	}
	str := func(name string) string {
		a, ok := attrs[name]
		if !ok || a.IsNull() || !a.IsKnown() || !a.Type().Is(tftypes.String) {
			return ""
		}
		var out string
		_ = a.As(&out)
		return out
	}
	s.mu.Lock()
	s.cfg = providerConfig{region: str("region"), project: str("project"), subscription: str("subscription_id"), tenant: str("tenant_id")}
	s.mu.Unlock()
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

func (s *server) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

func (s *server) ValidateResourceTypeConfig(_ context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	_, diags := s.resource(req.TypeName)
	return &tfprotov5.ValidateResourceTypeConfigResponse{Diagnostics: diags}, nil
}

func (s *server) UpgradeResourceState(_ context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	rs, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: diags}, nil
	}
	typ := rs.ValueType()
	if req.RawState == nil || req.RawState.JSON == nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errDiag("Cannot upgrade state", fmt.Errorf("only JSON state (terraform 0.12 and later) can be read offline"))}, nil
	}
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov5.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errDiag("Cannot read the prior state of "+req.TypeName, err)}, nil
	}
	dv, err := encode(typ, v)
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errDiag("Cannot encode state", err)}, nil
	}
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: dv}, nil
}

func (s *server) ReadResource(_ context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

func (s *server) PlanResourceChange(_ context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	rs, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: diags}, nil
	}
	typ := rs.ValueType()
	fail := func(err error) (*tfprotov5.PlanResourceChangeResponse, error) {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errDiag("Cannot plan "+req.TypeName+" offline", err)}, nil
	}
	prior, err := decode(req.PriorState, typ)
	if err != nil {
		return fail(err)
	}
	proposed, err := decode(req.ProposedNewState, typ)
	if err != nil {
		return fail(err)
	}
	planned, err := planBlock(rs.Block, prior, proposed)
	if err != nil {
		return fail(err)
	}
	replace, err := requiresReplace(rs.Block, prior, planned, string(req.PriorPrivate) == importedPrivate)
	if err != nil {
		return fail(err)
	}
	dv, err := encode(typ, planned)
	if err != nil {
		return fail(err)
	}
	return &tfprotov5.PlanResourceChangeResponse{PlannedState: dv, RequiresReplace: replace, PlannedPrivate: req.PriorPrivate}, nil
}

func (s *server) ApplyResourceChange(_ context.Context, req *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	rs, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: diags}, nil
	}
	typ := rs.ValueType()
	fail := func(err error) (*tfprotov5.ApplyResourceChangeResponse, error) {
		return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errDiag("Cannot apply "+req.TypeName+" offline", err)}, nil
	}
	planned, err := decode(req.PlannedState, typ)
	if err != nil {
		return fail(err)
	}
	if err := rehearse(req.TypeName); err != nil {
		return fail(err)
	}
	state, err := s.applyValue(req.TypeName, planned, seed(req.TypeName, req.Config))
	if err != nil {
		return fail(err)
	}
	dv, err := encode(typ, state)
	if err != nil {
		return fail(err)
	}
	private := req.PlannedPrivate
	if string(private) == importedPrivate {
		// Applied, the object's state is whole again.
		private = nil
	}
	return &tfprotov5.ApplyResourceChangeResponse{NewState: dv, Private: private}, nil
}

// applyValue fills every unknown of a planned state; a null plan (destroy)
// stays null.
func (s *server) applyValue(typeName string, planned tftypes.Value, seed string) (tftypes.Value, error) {
	if planned.IsNull() {
		return planned, nil
	}
	var attrs map[string]tftypes.Value
	if err := planned.As(&attrs); err != nil {
		return planned, err
	}
	return newFaker(s.name, typeName, attrs, s.config(), seed).fill(planned)
}

func (s *server) ImportResourceState(_ context.Context, req *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	rs, diags := s.resource(req.TypeName)
	if diags != nil {
		return &tfprotov5.ImportResourceStateResponse{Diagnostics: diags}, nil
	}
	typ := rs.ValueType()
	v := importShell(rs.Block, req.ID, importedAttributes(req.TypeName, req.ID))
	state, err := s.applyValue(req.TypeName, v, seed(req.TypeName, &tfprotov5.DynamicValue{JSON: []byte(req.ID)}))
	if err == nil {
		var dv *tfprotov5.DynamicValue
		if dv, err = encode(typ, state); err == nil {
			return &tfprotov5.ImportResourceStateResponse{ImportedResources: []*tfprotov5.ImportedResource{{TypeName: req.TypeName, State: dv, Private: []byte(importedPrivate)}}}, nil
		}
	}
	return &tfprotov5.ImportResourceStateResponse{Diagnostics: errDiag("Cannot import "+req.TypeName+" offline", err)}, nil
}

// importedPrivate marks the private state of an object imported offline
// until it is next applied: the offline provider cannot read the cloud, so
// the arguments its import ID does not determine are null, and a null
// that the configuration sets is what the real provider would have read
// from the cloud, not a change that forces a new object.
const importedPrivate = `{"skyform_offline_imported":true}`

// importShell is the object an import starts from: the given id, the
// arguments the id determines (from), every attribute that is only
// computed unknown (so it gets a fake), the remaining arguments null (an
// optional computed argument too: only the cloud knows its value) and no
// nested blocks.
func importShell(b *tfprotov5.SchemaBlock, id string, from map[string]string) tftypes.Value {
	attrs := map[string]tftypes.Value{}
	for _, a := range b.Attributes {
		v, known := from[a.Name]
		switch {
		case a.Name == "id" && a.Type.Is(tftypes.String):
			attrs[a.Name] = tftypes.NewValue(a.Type, id)
		case known && a.Type.Is(tftypes.String):
			attrs[a.Name] = tftypes.NewValue(a.Type, v)
		case a.Computed && !a.Optional && !a.Required:
			attrs[a.Name] = tftypes.NewValue(a.Type, tftypes.UnknownValue)
		default:
			attrs[a.Name] = tftypes.NewValue(a.Type, nil)
		}
	}
	for _, nb := range b.BlockTypes {
		attrs[nb.TypeName] = emptyNested(nb)
	}
	return tftypes.NewValue(b.ValueType(), attrs)
}

// emptyNested is a nested block type with no blocks in it.
func emptyNested(nb *tfprotov5.SchemaNestedBlock) tftypes.Value {
	t := nb.ValueType()
	switch nb.Nesting {
	case tfprotov5.SchemaNestedBlockNestingModeList, tfprotov5.SchemaNestedBlockNestingModeSet:
		return tftypes.NewValue(t, []tftypes.Value{})
	case tfprotov5.SchemaNestedBlockNestingModeMap:
		return tftypes.NewValue(t, map[string]tftypes.Value{})
	case tfprotov5.SchemaNestedBlockNestingModeGroup:
		return importShell(nb.Block, "", nil)
	}
	return tftypes.NewValue(t, nil)
}

func (s *server) MoveResourceState(context.Context, *tfprotov5.MoveResourceStateRequest) (*tfprotov5.MoveResourceStateResponse, error) {
	return &tfprotov5.MoveResourceStateResponse{Diagnostics: s.unsupported("Moving state between resource types")}, nil
}

func (s *server) UpgradeResourceIdentity(context.Context, *tfprotov5.UpgradeResourceIdentityRequest) (*tfprotov5.UpgradeResourceIdentityResponse, error) {
	return &tfprotov5.UpgradeResourceIdentityResponse{Diagnostics: s.unsupported("Resource identity")}, nil
}

func (s *server) GenerateResourceConfig(context.Context, *tfprotov5.GenerateResourceConfigRequest) (*tfprotov5.GenerateResourceConfigResponse, error) {
	return &tfprotov5.GenerateResourceConfigResponse{Diagnostics: s.unsupported("Generating configuration")}, nil
}

func (s *server) ValidateDataSourceConfig(_ context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	if _, ok := s.schema.DataSources[req.TypeName]; !ok {
		return &tfprotov5.ValidateDataSourceConfigResponse{Diagnostics: errDiag("Unknown data source "+req.TypeName, nil)}, nil
	}
	return &tfprotov5.ValidateDataSourceConfigResponse{}, nil
}

func (s *server) ReadDataSource(_ context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	ds, ok := s.schema.DataSources[req.TypeName]
	if !ok {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errDiag("Unknown data source "+req.TypeName, nil)}, nil
	}
	typ := ds.ValueType()
	fail := func(err error) (*tfprotov5.ReadDataSourceResponse, error) {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errDiag("Cannot read "+req.TypeName+" offline", err)}, nil
	}
	cfg, err := decode(req.Config, typ)
	if err != nil {
		return fail(err)
	}
	state, err := s.readData(req.TypeName, ds.Block, cfg, seed(req.TypeName, req.Config))
	if err != nil {
		return fail(err)
	}
	dv, err := encode(typ, state)
	if err != nil {
		return fail(err)
	}
	return &tfprotov5.ReadDataSourceResponse{State: dv}, nil
}

func (s *server) CallFunction(context.Context, *tfprotov5.CallFunctionRequest) (*tfprotov5.CallFunctionResponse, error) {
	return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: "provider functions are not supported offline"}}, nil
}

func (s *server) GetFunctions(context.Context, *tfprotov5.GetFunctionsRequest) (*tfprotov5.GetFunctionsResponse, error) {
	return &tfprotov5.GetFunctionsResponse{Functions: map[string]*tfprotov5.Function{}}, nil
}

func (s *server) ValidateEphemeralResourceConfig(context.Context, *tfprotov5.ValidateEphemeralResourceConfigRequest) (*tfprotov5.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov5.ValidateEphemeralResourceConfigResponse{Diagnostics: s.unsupported("Ephemeral resources")}, nil
}

func (s *server) OpenEphemeralResource(context.Context, *tfprotov5.OpenEphemeralResourceRequest) (*tfprotov5.OpenEphemeralResourceResponse, error) {
	return &tfprotov5.OpenEphemeralResourceResponse{Diagnostics: s.unsupported("Ephemeral resources")}, nil
}

func (s *server) RenewEphemeralResource(context.Context, *tfprotov5.RenewEphemeralResourceRequest) (*tfprotov5.RenewEphemeralResourceResponse, error) {
	return &tfprotov5.RenewEphemeralResourceResponse{Diagnostics: s.unsupported("Ephemeral resources")}, nil
}

func (s *server) CloseEphemeralResource(context.Context, *tfprotov5.CloseEphemeralResourceRequest) (*tfprotov5.CloseEphemeralResourceResponse, error) {
	return &tfprotov5.CloseEphemeralResourceResponse{Diagnostics: s.unsupported("Ephemeral resources")}, nil
}
