import { describe, expect, it } from "vitest";
import { modelSummary, parseDelimited, previewKind } from "./artifact-preview";

describe("previewKind", () => {
  it("picks a preview by name", () => {
    expect(previewKind("MLmodel")).toBe("yaml");
    expect(previewKind("loss.PNG")).toBe("image");
    expect(previewKind("metrics.json")).toBe("json");
    expect(previewKind("preds.csv")).toBe("csv");
    expect(previewKind("requirements.txt")).toBe("text");
    expect(previewKind("model.pkl")).toBe("binary");
  });
});

describe("parseDelimited", () => {
  it("reads quoted cells, doubled quotes and CRLF, up to a row limit", () => {
    expect(parseDelimited('a,b\r\n"x, y","say ""hi"""\n3,4', ",", 10)).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"'],
      ["3", "4"],
    ]);
    expect(parseDelimited("a\tb\n1\t2\n", "\t", 1)).toEqual([["a", "b"]]);
    // A preview cut mid-line drops the partial row.
    expect(parseDelimited("a,b\n1,2\n3,", ",", 10, true)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });
});

describe("modelSummary", () => {
  it("reads flavors and the signature MLflow writes as JSON strings", () => {
    const mlmodel = [
      "artifact_path: model",
      "flavors:",
      "  python_function: {loader_module: mlflow.sklearn}",
      "  sklearn: {sklearn_version: 1.5.0}",
      "mlflow_version: 3.1.0",
      "signature:",
      `  inputs: '[{"type": "double", "name": "x", "required": true}, {"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 4]}}]'`,
      `  outputs: '[{"type": "long", "required": true}]'`,
    ].join("\n");
    expect(modelSummary(mlmodel)).toEqual({
      flavors: ["python_function", "sklearn"],
      mlflowVersion: "3.1.0",
      modelUuid: undefined,
      created: undefined,
      inputs: [
        { name: "x", type: "double", required: true },
        { name: "#1", type: "tensor float32 [-1,4]", required: true },
      ],
      outputs: [{ name: "#0", type: "long", required: true }],
      params: [],
    });
    expect(modelSummary(": not yaml [")).toBeUndefined();
  });
});
