// Command pulumi-language-nodejs is sovstack's own minimal Node.js language host.
//
// Pulumi's official host lives in a Go module that the Go module proxy does not
// serve (it is never tagged), so it cannot be built offline. This host speaks
// the same gRPC protocol (pulumirpc.LanguageRuntime) and delegates all the real
// work to the @pulumi/pulumi npm package installed in the program:
//
//   - Run:       node <@pulumi/pulumi>/cmd/run  --monitor ... <entry point>
//   - RunPlugin: node <@pulumi/pulumi>/cmd/run-policy-pack (policy packs) or
//     cmd/run-plugin (plugins written in Node.js)
//   - GetRequiredPackages: the "pulumi" field of package.json files (or
//     pulumi-plugin.json) under node_modules.
//   - InstallDependencies: npm/yarn/pnpm/bun install.
//
// Code generation (GeneratePackage, GenerateProgram, ...) is not implemented:
// `pulumi convert`, `pulumi package gen-sdk --language nodejs` and templates
// need the official host.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	pbempty "google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// exitCodeAlreadyReported is the exit code @pulumi/pulumi's cmd/run uses when
// it has already shown the error to the user (the engine should just bail).
const exitCodeAlreadyReported = 32

func main() {
	// The engine passes flags (ignored here) and the engine address last.
	var engineAddress string
	for _, a := range os.Args[1:] {
		if !strings.HasPrefix(a, "-") {
			engineAddress = a
		}
	}
	host := &nodeHost{engineAddress: engineAddress}
	cancel := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	mu            sync.Mutex
	engineAddress string
}

func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

func (h *nodeHost) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func (h *nodeHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// options are the `runtime.options` of Pulumi.yaml that this host honours.
type options struct {
	typescript     bool
	tsconfig       string
	nodeargs       []string
	packagemanager string
}

func parseOptions(info *pulumirpc.ProgramInfo) options {
	o := options{typescript: true}
	m := info.GetOptions().AsMap()
	if v, ok := m["typescript"].(bool); ok {
		o.typescript = v
	}
	if v, ok := m["tsconfig"].(string); ok {
		o.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok && strings.TrimSpace(v) != "" {
		o.nodeargs = strings.Fields(v)
	}
	if v, ok := m["packagemanager"].(string); ok {
		o.packagemanager = v
	}
	return o
}

func nodeBinary() (string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", errors.New("could not find `node` on PATH; install Node.js (https://nodejs.org)")
	}
	return node, nil
}

// resolveSDKScript finds <@pulumi/pulumi>/cmd/<name> the way Node would from dir.
func resolveSDKScript(node, dir, name string) (string, error) {
	cmd := exec.Command(node, "-e", "process.stdout.write(require.resolve(process.argv[1]))",
		"@pulumi/pulumi/cmd/"+name)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find the @pulumi/pulumi package from %s; "+
			"run `npm install` there (%v: %s)", dir, err, strings.TrimSpace(stderr.String()))
	}
	return filepath.Dir(string(out)), nil
}

func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	entry := info.GetEntryPoint()
	if entry == "" {
		entry = req.GetProgram()
	}
	if entry == "" {
		entry = "."
	}
	opts := parseOptions(info)

	node, err := nodeBinary()
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runDir, err := resolveSDKScript(node, programDir, "run")
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := append([]string{}, opts.nodeargs...)
	args = append(args, runDir, "--monitor="+req.GetMonitorAddress())
	if e := h.engine(); e != "" {
		args = append(args, "--engine="+e)
	}
	if v := req.GetOrganization(); v != "" {
		args = append(args, "--organization="+v)
	}
	args = append(args, "--project="+req.GetProject(), "--stack="+req.GetStack(), "--pwd="+programDir)
	if v := info.GetRootDirectory(); v != "" {
		args = append(args, "--root-directory="+v)
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		args = append(args, "--parallel="+strconv.Itoa(int(req.GetParallel())))
	}
	args = append(args, entry)
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secrets),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript),
	)
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}

	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = programDir
	cmd.Env = env
	// The engine shows whatever the host prints.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
}

// RunPlugin runs a policy pack (kind "analyzer") or a plugin written in Node.js.
func (h *nodeHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetProgram()
	}
	node, err := nodeBinary()
	if err != nil {
		return err
	}
	opts := parseOptions(info)
	args := append([]string{}, opts.nodeargs...)
	if req.GetKind() == "analyzer" {
		// run-policy-pack <engine address> <program>
		script, err := resolveSDKScript(node, programDir, "run-policy-pack")
		if err != nil {
			return err
		}
		args = append(args, script)
		args = append(args, req.GetArgs()...)
		args = append(args, programDir)
	} else {
		// run-plugin <program> <args...>
		script, err := resolveSDKScript(node, programDir, "run-plugin")
		if err != nil {
			return err
		}
		args = append(args, script, programDir)
		args = append(args, req.GetArgs()...)
	}

	cmd := exec.CommandContext(server.Context(), node, args...)
	cmd.Dir = req.GetPwd()
	if cmd.Dir == "" {
		cmd.Dir = programDir
	}
	cmd.Env = append(os.Environ(), req.GetEnv()...)

	send := &lockedSender{server: server}
	cmd.Stdout = streamWriter{send: send, stderr: false}
	cmd.Stderr = streamWriter{send: send, stderr: true}
	err = cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		return err
	}
	return send.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)},
	})
}

type lockedSender struct {
	mu     sync.Mutex
	server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse]
}

func (s *lockedSender) send(r *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.server.Send(r)
}

type streamWriter struct {
	send   *lockedSender
	stderr bool
}

func (w streamWriter) Write(p []byte) (int, error) {
	b := append([]byte(nil), p...)
	var r *pulumirpc.RunPluginResponse
	if w.stderr {
		r = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}}
	} else {
		r = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}}
	}
	if err := w.send.send(r); err != nil {
		return 0, err
	}
	return len(p), nil
}

// pluginManifest is the "pulumi" field of package.json, or pulumi-plugin.json.
type pluginManifest struct {
	Resource bool   `json:"resource"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Server   string `json:"server"`
}

type packageJSON struct {
	Name         string            `json:"name"`
	Version      string            `json:"version"`
	Pulumi       *pluginManifest   `json:"pulumi"`
	Dependencies map[string]string `json:"dependencies"`
}

func readJSON(path string, v any) bool {
	b, err := os.ReadFile(path)
	return err == nil && json.Unmarshal(b, v) == nil
}

// installedPackages lists the packages under dir/node_modules (scoped ones
// included, nested node_modules folders too).
func installedPackages(dir string, visit func(pkgDir string)) {
	nm := filepath.Join(dir, "node_modules")
	entries, err := os.ReadDir(nm)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p := filepath.Join(nm, name)
		if strings.HasPrefix(name, "@") {
			scoped, _ := os.ReadDir(p)
			for _, s := range scoped {
				visit(filepath.Join(p, s.Name()))
				installedPackages(filepath.Join(p, s.Name()), visit)
			}
			continue
		}
		visit(p)
		installedPackages(p, visit)
	}
}

func (h *nodeHost) requiredPlugins(programDir string) []*pulumirpc.PackageDependency {
	seen := map[string]*pulumirpc.PackageDependency{}
	installedPackages(programDir, func(pkgDir string) {
		var m pluginManifest
		if !readJSON(filepath.Join(pkgDir, "pulumi-plugin.json"), &m) {
			var pj packageJSON
			if !readJSON(filepath.Join(pkgDir, "package.json"), &pj) || pj.Pulumi == nil {
				return
			}
			m = *pj.Pulumi
			if m.Version == "" {
				m.Version = pj.Version
			}
			if m.Name == "" {
				m.Name = strings.TrimPrefix(filepath.Base(pkgDir), "pulumi-")
			}
		}
		if !m.Resource || m.Name == "" {
			return
		}
		key := m.Name + "@" + m.Version
		if _, ok := seen[key]; !ok {
			v := m.Version
			if v != "" && !strings.HasPrefix(v, "v") {
				v = "v" + v
			}
			seen[key] = &pulumirpc.PackageDependency{Kind: "resource", Name: m.Name, Version: v, Server: m.Server}
		}
	})
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	deps := make([]*pulumirpc.PackageDependency, 0, len(keys))
	for _, k := range keys {
		deps = append(deps, seen[k])
	}
	return deps
}

func (h *nodeHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{
		Packages: h.requiredPlugins(req.GetInfo().GetProgramDirectory()),
	}, nil
}

func (h *nodeHost) GetProgramDependencies(
	_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	dir := req.GetInfo().GetProgramDirectory()
	var pj packageJSON
	if !readJSON(filepath.Join(dir, "package.json"), &pj) {
		return nil, status.Errorf(codes.FailedPrecondition, "no package.json in %s", dir)
	}
	names := make([]string, 0, len(pj.Dependencies))
	for n := range pj.Dependencies {
		names = append(names, n)
	}
	sort.Strings(names)
	var deps []*pulumirpc.DependencyInfo
	for _, n := range names {
		v := pj.Dependencies[n]
		var installed packageJSON
		if readJSON(filepath.Join(dir, "node_modules", n, "package.json"), &installed) {
			v = installed.Version
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

func (h *nodeHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := nodeBinary()
	if err != nil {
		return nil, err
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
		Metadata:   map[string]string{"host": "sovstack pulumi-language-nodejs"},
	}, nil
}

// packageManager picks the runtime option, else the tool whose lock file is present.
func packageManager(dir, option string) string {
	if option != "" {
		return option
	}
	for _, c := range []struct{ lock, tool string }{
		{"pnpm-lock.yaml", "pnpm"}, {"yarn.lock", "yarn"}, {"bun.lockb", "bun"}, {"bun.lock", "bun"},
	} {
		if _, err := os.Stat(filepath.Join(dir, c.lock)); err == nil {
			return c.tool
		}
	}
	return "npm"
}

func (h *nodeHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest,
	server grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetDirectory()
	}
	tool := packageManager(dir, parseOptions(req.GetInfo()).packagemanager)
	cmd := exec.CommandContext(server.Context(), tool, "install")
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s install: %w", tool, err)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	pump := func(r io.Reader, isErr bool) {
		defer wg.Done()
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			line := append(sc.Bytes(), '\n')
			resp := &pulumirpc.InstallDependenciesResponse{}
			if isErr {
				resp.Stderr = line
			} else {
				resp.Stdout = line
			}
			mu.Lock()
			_ = server.Send(resp)
			mu.Unlock()
		}
	}
	wg.Add(2)
	go pump(stdout, false)
	go pump(stderr, true)
	wg.Wait()
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("%s install failed in %s: %w", tool, dir, err)
	}
	return nil
}
