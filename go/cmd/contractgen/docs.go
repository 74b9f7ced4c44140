package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

// typeDoc is a struct type's doc comment and its fields' comments.
type typeDoc struct {
	doc    string
	fields map[string]string // Go field name → comment
}

// docIndex maps Go type names to their comments.
type docIndex map[string]typeDoc

// readDocs reads the doc comments of the struct types in dir's Go files
// (tests excluded): a field's comment is its doc comment, else its line
// comment.
func readDocs(dir string) (docIndex, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	idx := docIndex{}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				doc := ts.Doc
				if doc == nil {
					doc = gd.Doc
				}
				td := typeDoc{doc: strings.Join(strings.Fields(doc.Text()), " "), fields: map[string]string{}}
				for _, fl := range st.Fields.List {
					text := fl.Comment.Text()
					if text == "" {
						text = fl.Doc.Text()
					}
					for _, n := range fl.Names {
						td.fields[n.Name] = sentence(text, n.Name)
					}
				}
				idx[ts.Name.Name] = td
			}
		}
	}
	return idx, nil
}

// sentence joins a comment's lines into one line and drops a leading
// "Name is" naming the field ("TimeStepS is the ..." → "the ...").
func sentence(s, name string) string {
	s = strings.Join(strings.Fields(s), " ")
	for _, lead := range []string{name + " is ", name + " are ", name + " "} {
		if r, ok := strings.CutPrefix(s, lead); ok {
			return r
		}
	}
	return s
}

func (g *gen) fieldDoc(typ, goName string) string { return g.docs[typ].fields[goName] }
