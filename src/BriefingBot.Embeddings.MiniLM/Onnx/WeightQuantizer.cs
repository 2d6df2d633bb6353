using System.Runtime.InteropServices;

namespace BriefingBot.Embeddings.MiniLM.Onnx;

/// <summary>
/// Dynamic int8 quantisation of an ONNX model's weight matrices, done in process from the packaged float model (no
/// other model can be downloaded). Each <c>MatMul</c> by a constant float matrix becomes ONNX Runtime's
/// <c>DynamicQuantizeMatMul</c> (com.microsoft): the weights stored as int8 with one scale per output column, the
/// activations quantised to uint8 on the fly, the product accumulated in integers and scaled back to float. A bias
/// <c>Add</c> that only follows the product is folded into it. The same rewrite ONNX Runtime's own Python quantiser
/// makes; on the encoder's matrices it halves the time per passage.
/// Field numbers follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto.
/// </summary>
internal static class WeightQuantizer
{
    private const int ModelGraph = 7;
    private const int ModelOpsetImport = 8;
    private const int OpsetDomain = 1;
    private const int OpsetVersion = 2;
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int GraphOutput = 12;
    private const int ValueInfoName = 1;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeDomain = 7;
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    private const int FloatType = 1;
    private const int Int8Type = 3;
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>
    /// Rewrites <paramref name="model"/> with int8 weights in [-<paramref name="levels"/>, <paramref name="levels"/>].
    /// </summary>
    public static byte[] Quantize(ReadOnlySpan<byte> model, int levels)
    {
        // The model is the graph and a few small fields: rewrite the graph, then lay the model out once at its
        // final size (the float model is 90 MB; each extra copy is memory the process holds until a full collection).
        var (graphStart, graphEnd) = (-1, -1);
        ProtoWriter? graph = null;
        var reader = new ProtoReader(model);
        while (reader.HasMore)
        {
            var start = reader.Position;
            var (field, wireType) = reader.ReadTag();
            if (field == ModelGraph && wireType == ProtoReader.LengthDelimited && graph is null)
            {
                graph = RewriteGraph(reader.ReadBytes(), levels);
                (graphStart, graphEnd) = (start, reader.Position);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        if (graph is null)
        {
            throw new InvalidDataException("The model holds no graph.");
        }

        var header = new ProtoWriter();
        header.WriteTag(ModelGraph, ProtoReader.LengthDelimited);
        header.WriteVarint((ulong)graph.Written.Length);
        var opset = new ProtoWriter();
        opset.WriteString(OpsetDomain, MicrosoftDomain);
        opset.WriteVarint(OpsetVersion, 1);
        var opsetField = new ProtoWriter();
        opsetField.WriteBytes(ModelOpsetImport, opset.Written);

        var rest = model[graphEnd..];
        var result = new byte[graphStart + header.Written.Length + graph.Written.Length + rest.Length + opsetField.Written.Length];
        var at = Append(result, 0, model[..graphStart]);
        at = Append(result, at, header.Written);
        at = Append(result, at, graph.Written);
        at = Append(result, at, rest);
        Append(result, at, opsetField.Written);
        return result;
    }

    private static int Append(byte[] into, int at, ReadOnlySpan<byte> part)
    {
        part.CopyTo(into.AsSpan(at));
        return at + part.Length;
    }

    private sealed record Node(string OpType, string Domain, string Name, List<string> Inputs, List<string> Outputs);

    /// <summary>An initializer's type and shape; <c>FloatData</c> when its values are all in <c>raw_data</c> as float32.</summary>
    private readonly record struct TensorInfo(int DataType, long[] Dims, bool FloatData);

    private static ProtoWriter RewriteGraph(ReadOnlySpan<byte> graph, int levels)
    {
        var nodes = new List<Node>();
        var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
        var graphOutputs = new HashSet<string>(StringComparer.Ordinal);
        var reader = new ProtoReader(graph);
        while (reader.HasMore)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case GraphNode when wireType == ProtoReader.LengthDelimited:
                    nodes.Add(ReadNode(reader.ReadBytes()));
                    break;
                case GraphInitializer when wireType == ProtoReader.LengthDelimited:
                    var (name, info) = ReadTensor(reader.ReadBytes(), out _);
                    tensors[name] = info;
                    break;
                case GraphOutput when wireType == ProtoReader.LengthDelimited:
                    graphOutputs.Add(ReadValueInfoName(reader.ReadBytes()));
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        var weights = WeightsToQuantize(nodes, tensors);
        var foldedBias = BiasesToFold(nodes, tensors, weights, graphOutputs);
        var droppedAdds = new HashSet<Node>(foldedBias.Values, ReferenceEqualityComparer.Instance);

        // int8 weights are a quarter of float ones; most of the model is weights.
        var output = new ProtoWriter(graph.Length * 2 / 3);
        reader = new ProtoReader(graph);
        var nodeIndex = 0;
        while (reader.HasMore)
        {
            var start = reader.Position;
            var (field, wireType) = reader.ReadTag();
            if (field == GraphNode && wireType == ProtoReader.LengthDelimited)
            {
                reader.ReadBytes();
                var node = nodes[nodeIndex++];
                if (IsWeightProduct(node, weights))
                {
                    output.WriteBytes(GraphNode, QuantizedProduct(node, foldedBias.GetValueOrDefault(node)).Written);
                }
                else if (!droppedAdds.Contains(node))
                {
                    output.WriteRaw(graph[start..reader.Position]);
                }
            }
            else if (field == GraphInitializer && wireType == ProtoReader.LengthDelimited)
            {
                var (name, info) = ReadTensor(reader.ReadBytes(), out var raw);
                if (weights.Contains(name))
                {
                    WriteQuantizedWeights(output, name, info.Dims, raw, levels);
                }
                else
                {
                    output.WriteRaw(graph[start..reader.Position]);
                }
            }
            else
            {
                reader.Skip(wireType);
                output.WriteRaw(graph[start..reader.Position]);
            }
        }

        return output;
    }

    /// <summary>Float matrices stored in the model whose only use is as the right-hand side of a MatMul.</summary>
    private static HashSet<string> WeightsToQuantize(List<Node> nodes, Dictionary<string, TensorInfo> tensors)
    {
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        var otherUses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                if (i == 1 && IsPlainMatMul(node))
                {
                    candidates.Add(node.Inputs[i]);
                }
                else
                {
                    otherUses.Add(node.Inputs[i]);
                }
            }
        }

        candidates.RemoveWhere(name => otherUses.Contains(name)
            || !tensors.TryGetValue(name, out var info) || info.Dims.Length != 2 || !info.FloatData);
        return candidates;
    }

    /// <summary>For each weight product whose result only feeds an <c>Add</c> of a constant vector, that Add.</summary>
    private static Dictionary<Node, Node> BiasesToFold(
        List<Node> nodes, Dictionary<string, TensorInfo> tensors, HashSet<string> weights, HashSet<string> graphOutputs)
    {
        var consumers = nodes.SelectMany(n => n.Inputs.Select(input => (input, n)))
            .ToLookup(pair => pair.input, pair => pair.n, StringComparer.Ordinal);
        var folded = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        foreach (var node in nodes.Where(n => IsWeightProduct(n, weights)))
        {
            var product = node.Outputs[0];
            var users = consumers[product].ToList();
            if (graphOutputs.Contains(product) || users.Count != 1 || users[0].OpType != "Add" || users[0].Domain.Length != 0
                || users[0].Inputs.Count != 2)
            {
                continue;
            }

            var add = users[0];
            var bias = add.Inputs[0] == product ? add.Inputs[1] : add.Inputs[0];
            var columns = tensors[node.Inputs[1]].Dims[1];
            if (tensors.TryGetValue(bias, out var info) && info.DataType == FloatType && info.Dims is [var length] && length == columns)
            {
                folded[node] = add;
            }
        }

        return folded;
    }

    private static bool IsWeightProduct(Node node, HashSet<string> weights) => IsPlainMatMul(node) && weights.Contains(node.Inputs[1]);

    /// <summary>The standard domain's two-input MatMul, the only product the rewrite replaces.</summary>
    private static bool IsPlainMatMul(Node node) => node.OpType == "MatMul" && node.Domain.Length == 0 && node.Inputs.Count == 2;

    /// <summary>
    /// DynamicQuantizeMatMul(A, B, b_scale, b_zero_point, bias): B int8 with a scale per column and no zero point
    /// (symmetric); see ONNX Runtime's contrib operator documentation.
    /// </summary>
    private static ProtoWriter QuantizedProduct(Node product, Node? biasAdd)
    {
        var node = new ProtoWriter();
        var weights = product.Inputs[1];
        node.WriteString(NodeInput, product.Inputs[0]);
        node.WriteString(NodeInput, QuantizedName(weights));
        node.WriteString(NodeInput, ScaleName(weights));
        var outputs = product.Outputs;
        if (biasAdd is not null)
        {
            node.WriteString(NodeInput, ""); // no zero point
            node.WriteString(NodeInput, biasAdd.Inputs[0] == product.Outputs[0] ? biasAdd.Inputs[1] : biasAdd.Inputs[0]);
            outputs = biasAdd.Outputs;
        }

        foreach (var output in outputs)
        {
            node.WriteString(NodeOutput, output);
        }

        node.WriteString(NodeName, product.Name + "_quantized");
        node.WriteString(NodeOpType, "DynamicQuantizeMatMul");
        node.WriteString(NodeDomain, MicrosoftDomain);
        return node;
    }

    private static void WriteQuantizedWeights(ProtoWriter output, string name, long[] dims, ReadOnlySpan<byte> raw, int levels)
    {
        var (rows, columns) = (checked((int)dims[0]), checked((int)dims[1]));
        // ONNX raw data is little-endian, as is every machine .NET runs the encoder on.
        var values = MemoryMarshal.Cast<byte, float>(raw);
        var scales = new float[columns];
        for (var row = 0; row < rows; row++)
        {
            var line = values.Slice(row * columns, columns);
            for (var column = 0; column < columns; column++)
            {
                scales[column] = Math.Max(scales[column], Math.Abs(line[column]));
            }
        }

        for (var column = 0; column < columns; column++)
        {
            scales[column] = scales[column] > 0 ? scales[column] / levels : 1f;
        }

        var quantized = new sbyte[rows * columns];
        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var q = MathF.Round(values[(row * columns) + column] / scales[column]);
                quantized[(row * columns) + column] = (sbyte)Math.Clamp(q, -levels, levels);
            }
        }

        var matrix = new ProtoWriter(quantized.Length + 64);
        matrix.WriteVarint(TensorDims, (ulong)rows);
        matrix.WriteVarint(TensorDims, (ulong)columns);
        matrix.WriteVarint(TensorDataType, Int8Type);
        matrix.WriteString(TensorName, QuantizedName(name));
        matrix.WriteBytes(TensorRawData, MemoryMarshal.AsBytes(quantized.AsSpan()));
        output.WriteBytes(GraphInitializer, matrix.Written);

        var scale = new ProtoWriter((columns * 4) + 64);
        scale.WriteVarint(TensorDims, (ulong)columns);
        scale.WriteVarint(TensorDataType, FloatType);
        scale.WriteString(TensorName, ScaleName(name));
        scale.WriteBytes(TensorRawData, MemoryMarshal.AsBytes(scales.AsSpan()));
        output.WriteBytes(GraphInitializer, scale.Written);
    }

    private static string QuantizedName(string weights) => weights + "_quantized";

    private static string ScaleName(string weights) => weights + "_scale";

    private static Node ReadNode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        var (opType, domain, name) = ("", "", "");
        var (inputs, outputs) = (new List<string>(), new List<string>());
        while (reader.HasMore)
        {
            var (field, wireType) = reader.ReadTag();
            if (wireType != ProtoReader.LengthDelimited)
            {
                reader.Skip(wireType);
                continue;
            }

            switch (field)
            {
                case NodeInput:
                    inputs.Add(reader.ReadString());
                    break;
                case NodeOutput:
                    outputs.Add(reader.ReadString());
                    break;
                case NodeName:
                    name = reader.ReadString();
                    break;
                case NodeOpType:
                    opType = reader.ReadString();
                    break;
                case NodeDomain:
                    domain = reader.ReadString();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new Node(opType, domain, name, inputs, outputs);
    }

    private static (string Name, TensorInfo Info) ReadTensor(ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> raw)
    {
        var reader = new ProtoReader(bytes);
        var (name, dataType, dims, hasRaw) = ("", 0, new List<long>(), false);
        raw = [];
        while (reader.HasMore)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case TensorDims:
                    reader.ReadVarints(wireType, dims);
                    break;
                case TensorDataType when wireType == ProtoReader.Varint:
                    dataType = (int)reader.ReadVarint();
                    break;
                case TensorName when wireType == ProtoReader.LengthDelimited:
                    name = reader.ReadString();
                    break;
                case TensorRawData when wireType == ProtoReader.LengthDelimited:
                    raw = reader.ReadBytes();
                    hasRaw = true;
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        var holdsFloats = dataType == FloatType && hasRaw && raw.Length == dims.Aggregate((long)sizeof(float), (size, d) => size * d);
        return (name, new TensorInfo(dataType, [.. dims], holdsFloats));
    }

    private static string ReadValueInfoName(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtoReader(bytes);
        while (reader.HasMore)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == ValueInfoName && wireType == ProtoReader.LengthDelimited)
            {
                return reader.ReadString();
            }

            reader.Skip(wireType);
        }

        return "";
    }
}
