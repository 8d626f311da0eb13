// Command gitops-health evaluates a DjangoApp the way GitOps tools do, with their own code: kstatus
// (sigs.k8s.io/cli-utils, which Flux's health checks and kpt use) and an Argo CD health script run
// by the Lua interpreter Argo CD embeds (github.com/yuin/gopher-lua), with the standard libraries
// Argo CD opens and the object converted to a Lua table as Argo CD converts it.
//
// usage: gitops-health SCRIPT.lua < djangoapp.json
// prints {"kstatus":"InProgress","kstatusMessage":"...","argo":"Progressing","argoMessage":"..."}
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	lua "github.com/yuin/gopher-lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type verdict struct {
	Kstatus        string `json:"kstatus"`
	KstatusMessage string `json:"kstatusMessage"`
	Argo           string `json:"argo"`
	ArgoMessage    string `json:"argoMessage"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gitops-health:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) != 2 {
		return fmt.Errorf("usage: gitops-health SCRIPT.lua < object.json")
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		return err
	}
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		return err
	}
	obj := &unstructured.Unstructured{}
	if err := obj.UnmarshalJSON(input); err != nil {
		return err
	}
	result, err := status.Compute(obj)
	if err != nil {
		return fmt.Errorf("kstatus: %w", err)
	}
	argo, message, err := argoHealth(string(script), obj.Object)
	if err != nil {
		return fmt.Errorf("argo health script: %w", err)
	}
	return json.NewEncoder(os.Stdout).Encode(verdict{
		Kstatus: result.Status.String(), KstatusMessage: result.Message,
		Argo: argo, ArgoMessage: message,
	})
}

// argoHealth runs the script with the object as the global obj, as Argo CD's health.lua runner does.
func argoHealth(script string, object map[string]interface{}) (string, string, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.StringLibName, lua.OpenString},
		{lua.MathLibName, lua.OpenMath},
	} {
		l.Push(l.NewFunction(lib.open))
		l.Push(lua.LString(lib.name))
		l.Call(1, 0)
	}
	l.SetGlobal("obj", toLua(l, object))
	if err := l.DoString(script); err != nil {
		return "", "", err
	}
	table, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("the script returned %s, not a table", l.Get(-1).Type())
	}
	return lua.LVAsString(table.RawGetString("status")), lua.LVAsString(table.RawGetString("message")), nil
}

func toLua(l *lua.LState, value interface{}) lua.LValue {
	switch v := value.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(v)
	case string:
		return lua.LString(v)
	case int64:
		return lua.LNumber(v)
	case float64:
		return lua.LNumber(v)
	case map[string]interface{}:
		table := l.NewTable()
		for key, item := range v {
			table.RawSetString(key, toLua(l, item))
		}
		return table
	case []interface{}:
		table := l.NewTable()
		for _, item := range v {
			table.Append(toLua(l, item))
		}
		return table
	default:
		return lua.LString(fmt.Sprint(v))
	}
}
