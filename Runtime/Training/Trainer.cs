using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using AutoDiff.Data;
using AutoDiff.Distributed;
using AutoDiff.Layers;
using AutoDiff.Optimizers;

namespace AutoDiff.Training;

/// <summary>One step's report to an <see cref="ITrainingObserver"/>.</summary>
/// <param name="Epoch">The epoch, from 0.</param>
/// <param name="StepInEpoch">The step within the epoch, from 1.</param>
/// <param name="StepsPerEpoch">Steps in an epoch.</param>
/// <param name="Step">Steps taken since the start, this one included.</param>
/// <param name="Loss">The weighted loss of the batch.</param>
public readonly record struct StepReport(int Epoch, int StepInEpoch, int StepsPerEpoch, long Step, float Loss);

/// <summary>One head's score on a dataset.</summary>
/// <param name="Accuracy">The fraction of correct classes (a classification head), else NaN.</param>
/// <param name="MeanAbsoluteError">The mean |prediction − target| in the data's unit (a regression head), else NaN.</param>
public readonly record struct HeadScore(double Accuracy, double MeanAbsoluteError);

/// <summary>A network's loss and scores on a dataset.</summary>
/// <param name="Loss">The weighted loss, averaged over the images.</param>
/// <param name="Heads">Each head's score.</param>
public sealed record Evaluation(double Loss, IReadOnlyList<HeadScore> Heads);

/// <summary>What one epoch gave.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="TrainingLoss">The mean of the training steps' losses.</param>
/// <param name="Test">The evaluation on the test data, if any was given.</param>
public sealed record EpochRecord(int Epoch, double TrainingLoss, Evaluation? Test);

/// <summary>Receives the trainer's progress (a terminal display, a log). Called on the training thread.</summary>
public interface ITrainingObserver
{
    /// <summary>After each step.</summary>
    /// <param name="report">The step.</param>
    void OnStep(in StepReport report);

    /// <summary>After each epoch and its evaluation.</summary>
    /// <param name="record">The epoch.</param>
    void OnEpoch(EpochRecord record);
}

/// <summary>
/// Training diverged: the loss stopped being a finite number (training stopped before the parameters were updated with
/// it), or a parameter did while the loss stayed finite (a loss that mines its pairs by comparing distances sees NaN
/// embeddings as no pairs at all, a loss of 0).
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>The loss was not finite.</summary>
    /// <param name="step">The step (from 1) whose loss was not finite.</param>
    /// <param name="epoch">Its epoch (from 1).</param>
    /// <param name="loss">The loss.</param>
    public TrainingDivergedException(long step, int epoch, float loss)
        : base($"The loss became {loss} at step {step} (epoch {epoch}); training stopped before that step updated the parameters. Lower the learning rate, or clip the gradients.")
    {
        Step = step;
    }

    /// <summary>A parameter was not finite at the end of an epoch.</summary>
    /// <param name="step">The last step of the epoch.</param>
    /// <param name="epoch">The epoch (from 1).</param>
    /// <param name="parameter">The parameter's name.</param>
    public TrainingDivergedException(long step, int epoch, string parameter)
        : base($"The parameter {parameter} holds values that are not finite after epoch {epoch} (step {step}), although the loss stayed finite. Lower the learning rate, or clip the gradients.")
    {
        Step = step;
    }

    /// <summary>The step whose loss was not finite, or the last of the epoch whose parameters were not.</summary>
    public long Step { get; }
}

/// <summary>
/// Mini-batch training of a <see cref="Network{T}"/>: seeded shuffling, a loss per head summed with the
/// heads' weights, an optimizer step per batch, evaluation, checkpoints. After the first steps a training
/// step allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// Epoch e visits the images in a permutation drawn from (seed, e) alone, and the network's kernels split
/// work by sizes alone, so the same seed gives the same parameters bit for bit whatever the number of
/// threads, and a run resumed from a checkpoint continues the very same trajectory. The last batch of an
/// epoch may be smaller (PyTorch's <c>drop_last=False</c>).
/// </para>
/// </remarks>
public sealed partial class Trainer
{
    private static readonly byte[] Magic = "ADCKPT01"u8.ToArray();

    private readonly Network<float> _network;
    private readonly Optimizer<float> _optimizer;
    private readonly ImageDataset _data;
    private readonly HeadTask[] _heads;
    private readonly ulong _seed;
    private readonly int[] _order;
    private readonly int[] _batchIndices;
    private readonly float[] _inputs;
    private readonly int[] _labels;
    private readonly float[] _targets;
    private readonly float[] _scratch;
    private readonly List<EpochRecord> _history = [];
    private readonly SeededRandom _shuffle = new(0);
    private ClassBalancedSampler? _sampler;
    private IProcessGroup? _group;
    private float[]? _flat; // every gradient (or parameter) and the loss, for one collective
    private ClassBalancedSampler.Batches? _batches;
    private int _orderEpoch = -1;
    private double _epochLossSum;

    /// <summary>A trainer of <paramref name="network"/> on <paramref name="data"/>.</summary>
    /// <param name="network">The network, built for batches of at least <paramref name="batchSize"/>.</param>
    /// <param name="optimizer">The optimizer over the network's <see cref="Network{T}.OptimizerParameters"/>.</param>
    /// <param name="data">The training data.</param>
    /// <param name="heads">One task per head of the network.</param>
    /// <param name="batchSize">Images per step.</param>
    /// <param name="seed">The seed of the shuffles.</param>
    /// <exception cref="ArgumentException">The heads, data and network disagree (the message says where).</exception>
    public Trainer(Network<float> network, Optimizer<float> optimizer, ImageDataset data, IReadOnlyList<HeadTask> heads, int batchSize, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(heads);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (batchSize > network.MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The network was built for batches of at most {network.MaxBatch}.");
        }

        if (heads.Count != network.Heads)
        {
            throw new ArgumentException($"The network has {network.Heads} heads but {heads.Count} tasks were given.", nameof(heads));
        }

        if (data.Shape != network.InputShape)
        {
            throw new ArgumentException($"The data's images are {data.Shape}; the network takes {network.InputShape}.", nameof(data));
        }

        if (data.Count == 0)
        {
            throw new ArgumentException("The training data is empty.", nameof(data));
        }

        for (int h = 0; h < heads.Count; h++)
        {
            heads[h].Validate(data, network.OutputShapes[h], h, network.MaxBatch);
        }

        (_network, _optimizer, _data, _heads, BatchSize, _seed) = (network, optimizer, data, heads.ToArray(), batchSize, seed);
        _order = new int[data.Count];
        _batchIndices = new int[batchSize];
        _inputs = new float[network.MaxBatch * data.Shape.Size];
        _labels = new int[network.MaxBatch];
        _targets = new float[network.MaxBatch * Math.Max(1, data.TargetSize)];
        _scratch = new float[data.Shape.Size];
    }

    /// <summary>
    /// Shifts applied to the training images (not to evaluation), or null (the default). A regression of
    /// positions should not shift: the targets would no longer match the images.
    /// </summary>
    public RandomShift? Augmentation { get; set; }

    /// <summary>
    /// How batches are drawn: null (the default) visits every image once an epoch in a seeded permutation;
    /// a <see cref="ClassBalancedSampler"/> draws P classes × K images per batch (metric learning). Set it
    /// before the first step; its P·K must be <see cref="BatchSize"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Training has started.</exception>
    /// <exception cref="ArgumentException">P·K is not the batch size, or the data lacks the classes or images (the message says which).</exception>
    public ClassBalancedSampler? Sampler
    {
        get => _sampler;
        set
        {
            if (Step > 0)
            {
                throw new InvalidOperationException("The sampler is chosen before the first step.");
            }

            if (value is not null && value.BatchSize != BatchSize)
            {
                throw new ArgumentException($"Batches of {value} hold {value.BatchSize} images; this trainer's batch is {BatchSize}.", nameof(value));
            }

            _batches = value?.Bind(_data);
            _sampler = value;
        }
    }

    /// <summary>
    /// The processes training this model together (data parallel, as PyTorch's DistributedDataParallel), or null (the
    /// default): alone. Each rank takes its shard of every batch (ranks 0…N−1 in order, sizes differing by at most
    /// one), computes its gradients, and one <see cref="IProcessGroup.AllReduceSum"/> over a flat buffer of every
    /// gradient and the loss, each weighted by the rank's share of the batch, gives every rank the gradient of the
    /// whole batch: g = Σᵣ (bᵣ / B)·gᵣ. Every rank then takes the same optimizer step. Setting it copies rank 0's
    /// parameters to every rank. Every rank must draw the same batches: the same data, batch size and seed.
    /// </summary>
    /// <exception cref="ArgumentException">The batch has fewer images than the group has ranks.</exception>
    public IProcessGroup? ProcessGroup
    {
        get => _group;
        set
        {
            if (value is not null)
            {
                if (value.Size > BatchSize)
                {
                    throw new ArgumentException($"A batch of {BatchSize} images cannot be split across {value.Size} ranks.", nameof(value));
                }

                _flat ??= new float[_network.ParameterCount + 1];
                Pack(values: true, 1f);
                value.Broadcast(_flat.AsSpan(0, _flat.Length - 1), root: 0);
                Unpack(values: true);
            }

            _group = value;
        }
    }

    /// <summary>
    /// Whether every rank of <see cref="ProcessGroup"/> holds bit for bit the parameters of rank 0 (true without a
    /// group). Every rank must call it.
    /// </summary>
    /// <returns>True when no rank's parameters differ from rank 0's.</returns>
    public bool ParametersAgree()
    {
        if (_group is not { } group)
        {
            return true;
        }

        // Rank 0's values into every rank's flat buffer, compared bit for bit with the rank's own parameters.
        Pack(values: true, 1f);
        group.Broadcast(_flat, root: 0);
        var parameters = _network.Parameters;
        float differing = 0;
        for (int p = 0, at = 0; p < parameters.Count; p++)
        {
            var own = parameters[p].Value;
            differing += MemoryMarshal.AsBytes(own.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(_flat.AsSpan(at, own.Length))) ? 0 : 1;
            at += own.Length;
        }

        Span<float> total = [differing];
        group.AllReduceSum(total);
        return total[0] == 0;
    }

    /// <summary>Images per step.</summary>
    public int BatchSize { get; }

    /// <summary>Completed epochs.</summary>
    public int Epoch { get; private set; }

    /// <summary>Steps taken in the current epoch.</summary>
    public int StepInEpoch { get; private set; }

    /// <summary>Steps taken since the start.</summary>
    public long Step { get; private set; }

    /// <summary>Steps per epoch: ⌈images / batch⌉.</summary>
    public int StepsPerEpoch => (_data.Count + BatchSize - 1) / BatchSize;

    /// <summary>The completed epochs' records.</summary>
    public IReadOnlyList<EpochRecord> History => _history;

    /// <summary>The network.</summary>
    public Network<float> Network => _network;

    /// <summary>
    /// One step: the next batch of the epoch's permutation, forward, the heads' losses, backward, the
    /// optimizer's update.
    /// </summary>
    /// <returns>The batch's weighted loss.</returns>
    /// <exception cref="TrainingDivergedException">The loss is not finite; the parameters were not updated.</exception>
    public float TrainStep()
    {
        if (StepInEpoch == StepsPerEpoch)
        {
            throw new InvalidOperationException("The epoch is complete: RunEpoch records it and starts the next.");
        }

        Span<int> indices;
        if (_batches is null)
        {
            EnsureOrder();
            int start = StepInEpoch * BatchSize;
            indices = _order.AsSpan(start, Math.Min(BatchSize, _data.Count - start));
        }
        else
        {
            indices = _batchIndices;
            _batches.Fill(_seed, Step, indices);
        }

        int globalBatch = indices.Length, offset = 0;
        if (_group is { } group)
        {
            offset = (int)((long)globalBatch * group.Rank / group.Size);
            indices = indices[offset..(int)((long)globalBatch * (group.Rank + 1) / group.Size)];
        }

        int batch = indices.Length;
        Gather(_data, indices);
        if (Augmentation is { } shift)
        {
            int size = _data.Shape.Size;
            for (int i = 0; i < batch; i++)
            {
                // The shuffled epochs shift image j of epoch e by (e, j); class-balanced batches, which may
                // draw an image twice in an epoch, by (step, position).
                ulong key = _batches is null ? ((ulong)Epoch * (ulong)_data.Count) + (ulong)indices[i] : ((ulong)Step * (ulong)BatchSize) + (ulong)(offset + i);
                shift.Apply(_inputs.AsSpan(i * size, size), _data.Shape, SeededRandom.Hash(_seed ^ 0xA5A5A5A5A5A5A5A5UL, key), _scratch);
            }
        }

        // The gradients come before the loss is checked: with a group, the check must see the whole batch's loss, as
        // every rank does. Only the optimizer's step changes the parameters.
        double loss = 0;
        if (batch > 0)
        {
            _network.Forward(_inputs, batch, training: true);
            ulong draw = SeededRandom.Hash(_seed ^ 0x3C3C_3C3C_3C3C_3C3CUL, (ulong)Step);
            for (int h = 0; h < _heads.Length; h++)
            {
                loss += _heads[h].Weight * _heads[h].Loss(batch, _network.Output(h), _labels, _targets, _network.OutputGradient(h), draw);
            }

            _network.Backward();
        }

        if (_group is { } ranks)
        {
            loss = AllReduce(ranks, loss, batch, globalBatch);
        }

        if (!double.IsFinite(loss))
        {
            throw new TrainingDivergedException(Step + 1, Epoch + 1, (float)loss);
        }

        _optimizer.Step();
        Step++;
        StepInEpoch++;
        _epochLossSum += loss * globalBatch;
        return (float)loss;
    }

    // Sums every rank's gradients and loss, each weighted by its share of the batch, in one collective over a flat buffer.
    private double AllReduce(IProcessGroup group, double loss, int batch, int globalBatch)
    {
        float share = (float)batch / globalBatch;
        if (batch > 0)
        {
            Pack(values: false, share);
        }
        else
        {
            _flat.AsSpan().Clear(); // no images here (a last batch smaller than the group): nothing to add
        }

        _flat![^1] = (float)(loss * share);
        group.AllReduceSum(_flat);
        Unpack(values: false);
        return _flat[^1];
    }

    // The parameters' values or gradients (times `scale`) into the flat buffer, parameter after parameter.
    private void Pack(bool values, float scale)
    {
        var parameters = _network.Parameters;
        for (int p = 0, at = 0; p < parameters.Count; p++)
        {
            var source = values ? parameters[p].Value : parameters[p].Gradient;
            TensorPrimitives.Multiply(source, scale, _flat.AsSpan(at, source.Length));
            at += source.Length;
        }
    }

    // The flat buffer back into the parameters' values or gradients.
    private void Unpack(bool values)
    {
        var parameters = _network.Parameters;
        for (int p = 0, at = 0; p < parameters.Count; p++)
        {
            var target = values ? parameters[p].Value : parameters[p].Gradient;
            _flat.AsSpan(at, target.Length).CopyTo(target);
            at += target.Length;
        }
    }

    /// <summary>Runs the rest of the current epoch, evaluates on <paramref name="test"/>, and records the epoch.</summary>
    /// <param name="test">The test data, or null.</param>
    /// <param name="observer">Progress, or null.</param>
    /// <returns>The epoch's record.</returns>
    /// <exception cref="TrainingDivergedException">A step's loss was not finite, or a parameter is not at the epoch's end.</exception>
    public EpochRecord RunEpoch(ImageDataset? test = null, ITrainingObserver? observer = null)
    {
        while (StepInEpoch < StepsPerEpoch)
        {
            float loss = TrainStep();
            observer?.OnStep(new StepReport(Epoch, StepInEpoch, StepsPerEpoch, Step, loss));
        }

        if (FirstNonFiniteParameter() is string parameter)
        {
            throw new TrainingDivergedException(Step, Epoch + 1, parameter);
        }

        var record = new EpochRecord(Epoch + 1, _epochLossSum / _data.Count, test is null ? null : Evaluate(test));
        _history.Add(record);
        Epoch++;
        StepInEpoch = 0;
        _epochLossSum = 0;
        observer?.OnEpoch(record);
        return record;
    }

    /// <summary>The network's weighted loss and each head's score on <paramref name="data"/>, in evaluation mode.</summary>
    /// <param name="data">Data of the network's input shape with what every head needs.</param>
    /// <returns>The evaluation.</returns>
    public Evaluation Evaluate(ImageDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Shape != _network.InputShape)
        {
            throw new ArgumentException($"The data's images are {data.Shape}; the network takes {_network.InputShape}.", nameof(data));
        }

        return Score(data, null);
    }

    /// <summary>
    /// Scores outputs that another runtime computed for <paramref name="data"/> (the network exported to ONNX and run
    /// by ONNX Runtime) with this trainer's heads: the loss and scores <see cref="Evaluate(ImageDataset)"/> gives for
    /// the network's own outputs, so the two can be compared figure for figure.
    /// </summary>
    /// <param name="data">The images the outputs are of, with their labels and targets.</param>
    /// <param name="outputs">Per head, data.Count × the head's output size values, image after image.</param>
    /// <returns>The mean loss and each head's score.</returns>
    /// <exception cref="ArgumentException">A head's outputs do not have the size the data and the head give.</exception>
    public Evaluation Evaluate(ImageDataset data, IReadOnlyList<float[]> outputs)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(outputs);
        if (outputs.Count != _heads.Length)
        {
            throw new ArgumentException($"{outputs.Count} heads' outputs for a network of {_heads.Length} heads.", nameof(outputs));
        }

        for (int h = 0; h < _heads.Length; h++)
        {
            if (outputs[h].Length != (long)data.Count * _network.OutputShapes[h].Size)
            {
                throw new ArgumentException($"Head {h}'s outputs hold {outputs[h].Length} values; {data.Count} images need {(long)data.Count * _network.OutputShapes[h].Size}.", nameof(outputs));
            }
        }

        return Score(data, outputs);
    }

    // The heads' loss and scores over the data in order: of the network's own outputs (run here, when `outputs` is
    // null), or of outputs computed elsewhere (the losses then write their unused gradients into scratch).
    private Evaluation Score(ImageDataset data, IReadOnlyList<float[]>? outputs)
    {
        for (int h = 0; h < _heads.Length; h++)
        {
            _heads[h].Validate(data, _network.OutputShapes[h], h, _network.MaxBatch);
        }

        double loss = 0;
        var scores = new double[_heads.Length];
        var scratch = outputs?.Select((_, h) => new float[_network.MaxBatch * _network.OutputShapes[h].Size]).ToArray();
        foreach (var (start, batch) in InOrder(data, forward: outputs is null))
        {
            for (int h = 0; h < _heads.Length; h++)
            {
                int size = _network.OutputShapes[h].Size;
                var output = outputs is null ? _network.Output(h) : outputs[h].AsSpan(start * size, batch * size);
                var gradient = scratch is null ? _network.OutputGradient(h) : scratch[h].AsSpan(0, batch * size);
                loss += _heads[h].Weight * _heads[h].Loss(batch, output, _labels, _targets, gradient, (ulong)start) * batch;
                scores[h] += _heads[h].Score(batch, output, _labels, _targets);
            }
        }

        var heads = new HeadScore[_heads.Length];
        for (int h = 0; h < _heads.Length; h++)
        {
            heads[h] = _heads[h].Summarize(scores[h], data);
        }

        return new Evaluation(loss / data.Count, heads);
    }

    /// <summary>Runs the network in evaluation mode on every image of <paramref name="data"/> and writes head <paramref name="head"/>'s outputs.</summary>
    /// <param name="data">Images of the network's input shape.</param>
    /// <param name="head">The head (0 for a single-head network).</param>
    /// <param name="destination">Receives data.Count × the head's output size values (embeddings, class scores).</param>
    /// <exception cref="ArgumentException">The data's shape or the destination's length does not fit.</exception>
    public void Predict(ImageDataset data, int head, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(head);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(head, _network.Heads);
        if (data.Shape != _network.InputShape)
        {
            throw new ArgumentException($"The data's images are {data.Shape}; the network takes {_network.InputShape}.", nameof(data));
        }

        int size = _network.OutputShapes[head].Size;
        if (destination.Length < (long)data.Count * size)
        {
            throw new ArgumentException($"destination holds {destination.Length} values; {data.Count} outputs of {size} need {(long)data.Count * size}.", nameof(destination));
        }

        foreach (var (start, batch) in InOrder(data))
        {
            _network.Output(head).CopyTo(destination.Slice(start * size, batch * size));
        }
    }

    // Gathers the data's images (and labels and targets) in order, a largest batch at a time, and yields each batch's
    // first image and size once they are gathered and, where `forward`, the network's outputs hold the batch.
    private IEnumerable<(int Start, int Batch)> InOrder(ImageDataset data, bool forward = true)
    {
        var indices = new int[_network.MaxBatch];
        for (int start = 0; start < data.Count; start += _network.MaxBatch)
        {
            int batch = Math.Min(_network.MaxBatch, data.Count - start);
            for (int i = 0; i < batch; i++)
            {
                indices[i] = start + i;
            }

            Gather(data, indices.AsSpan(0, batch));
            if (forward)
            {
                _network.Forward(_inputs, batch, training: false);
            }

            yield return (start, batch);
        }
    }

    /// <summary>
    /// Writes a checkpoint — <paramref name="metadata"/>, the trainer's position and history, the network, the
    /// optimizer's state — atomically: to a temporary file beside <paramref name="path"/>, flushed to disk,
    /// then renamed over it, so a kill mid-write leaves the previous checkpoint whole.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="metadata">What a reader needs to rebuild the network (the task, the optimizer).</param>
    /// <exception cref="InvalidOperationException">A parameter is not finite: nothing is written, an existing file is left as it was.</exception>
    /// <exception cref="IOException">The file cannot be written (the message names it); no temporary file is left, an existing checkpoint is as it was.</exception>
    public void SaveCheckpoint(string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (FirstNonFiniteParameter() is string parameter)
        {
            throw new InvalidOperationException($"The parameter {parameter} holds values that are not finite: no checkpoint is written (the file at '{path}', if any, is left as it was).");
        }

        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            var entries = metadata ?? new Dictionary<string, string>();
            writer.Write(entries.Count);
            foreach (var (key, value) in entries)
            {
                writer.Write(key);
                writer.Write(value);
            }

            writer.Write(_seed);
            writer.Write(BatchSize);
            writer.Write(_data.Count);
            writer.Write(Epoch);
            writer.Write(StepInEpoch);
            writer.Write(Step);
            writer.Write(_epochLossSum);
            writer.Write(_history.Count);
            foreach (var record in _history)
            {
                writer.Write(record.Epoch);
                writer.Write(record.TrainingLoss);
                writer.Write(record.Test is not null);
                if (record.Test is { } test)
                {
                    writer.Write(test.Loss);
                    writer.Write(test.Heads.Count);
                    foreach (var head in test.Heads)
                    {
                        writer.Write(head.Accuracy);
                        writer.Write(head.MeanAbsoluteError);
                    }
                }
            }

            _network.Save(writer);
            writer.Flush();
            _optimizer.SaveState(payload);
        }

        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(Magic);
                file.Write(BitConverter.GetBytes(payload.Length));
                file.Write(payload.GetBuffer(), 0, (int)payload.Length);
                file.Write(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
            SyncDirectory(Path.GetDirectoryName(full)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a directory in the way: the partial file does not stay to hold the space.
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw new IOException($"Cannot write the checkpoint '{path}': {e.Message.TrimEnd('.')}.", e);
        }
    }

    /// <summary>The metadata of a checkpoint, read and verified without loading it.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <returns>The key/value pairs given to <see cref="SaveCheckpoint"/>.</returns>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, or is truncated or corrupt (the message names it).</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var reader = new BinaryReader(new MemoryStream(ReadPayload(path)));
        return ReadMetadata(reader);
    }

    /// <summary>
    /// Restores a checkpoint written by <see cref="SaveCheckpoint"/> for the same network, optimizer and data:
    /// training then continues the saved trajectory bit for bit. The file is verified (checksum, shapes)
    /// before anything changes; on any error the trainer is as it was.
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt, or from another network, optimizer or data (the message says which).</exception>
    public void LoadCheckpoint(string path)
    {
        var payload = ReadPayload(path);
        var undo = new MemoryStream();
        using (var writer = new BinaryWriter(undo, Encoding.UTF8, leaveOpen: true))
        {
            _network.Save(writer);
            writer.Flush();
            _optimizer.SaveState(undo);
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload));
            ReadMetadata(reader);
            ulong seed = reader.ReadUInt64();
            int batch = reader.ReadInt32(), count = reader.ReadInt32();
            if (seed != _seed || batch != BatchSize || count != _data.Count)
            {
                throw new InvalidDataException(
                    $"'{path}' was written with seed {seed}, batch {batch} and {count} training images; this trainer has seed {_seed}, batch {BatchSize} and {_data.Count}.");
            }

            int epoch = reader.ReadInt32(), stepInEpoch = reader.ReadInt32();
            long step = reader.ReadInt64();
            double lossSum = reader.ReadDouble();
            var history = new List<EpochRecord>();
            for (int i = reader.ReadInt32(); i > 0; i--)
            {
                int e = reader.ReadInt32();
                double trainingLoss = reader.ReadDouble();
                Evaluation? test = null;
                if (reader.ReadBoolean())
                {
                    double testLoss = reader.ReadDouble();
                    var heads = new HeadScore[reader.ReadInt32()];
                    for (int h = 0; h < heads.Length; h++)
                    {
                        heads[h] = new HeadScore(reader.ReadDouble(), reader.ReadDouble());
                    }

                    test = new Evaluation(testLoss, heads);
                }

                history.Add(new EpochRecord(e, trainingLoss, test));
            }

            _network.Load(reader);
            _optimizer.LoadState(reader.BaseStream);
            (Epoch, StepInEpoch, Step, _epochLossSum) = (epoch, stepInEpoch, step, lossSum);
            _history.Clear();
            _history.AddRange(history);
            _orderEpoch = -1;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or ArgumentException or IOException)
        {
            undo.Position = 0;
            using var reader = new BinaryReader(undo);
            _network.Load(reader);
            _optimizer.LoadState(undo);
            throw e as InvalidDataException ?? new InvalidDataException($"'{path}' does not fit this network and optimizer: {e.Message}", e);
        }
    }

    private static Dictionary<string, string> ReadMetadata(BinaryReader reader)
    {
        var entries = new Dictionary<string, string>();
        for (int i = reader.ReadInt32(); i > 0; i--)
        {
            string key = reader.ReadString();
            entries[key] = reader.ReadString();
        }

        return entries;
    }

    // The rename is durable only once the directory's entry is on disk: fsync the directory (POSIX; Windows has no such
    // call and needs none for MoveFileEx's write-through). Best effort: a file system that refuses it changes nothing.
    private static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int descriptor = Posix.Open(directory, 0);
        if (descriptor >= 0)
        {
            Posix.Fsync(descriptor);
            Posix.Close(descriptor);
        }
    }

    private static partial class Posix
    {
        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "open", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
        internal static partial int Open(string path, int flags);

        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "fsync")]
        internal static partial int Fsync(int descriptor);

        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "close")]
        internal static partial int Close(int descriptor);
    }

    // A checkpoint's content is at most this large (the benchmark net's, with Adam's moments, is 2.6 MB): what a file
    // declares is bounded before anything is allocated, so /dev/zero or a forged length cannot take the memory.
    private const long MaxPayload = 1L << 30;

    private static byte[] ReadPayload(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new InvalidDataException($"'{path}' is a directory, not an AutoDiff checkpoint.");
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var header = new byte[Magic.Length + 8];
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length || !header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not an AutoDiff checkpoint.");
        }

        long length = BitConverter.ToInt64(header, Magic.Length);
        if (length < 0 || length > MaxPayload)
        {
            throw new InvalidDataException($"'{path}' is corrupt: it declares {length} bytes of content (at most {MaxPayload:N0}).");
        }

        var rest = new byte[length + 32];
        int read = file.ReadAtLeast(rest, rest.Length, throwOnEndOfStream: false);
        if (read < rest.Length || file.ReadByte() != -1)
        {
            throw new InvalidDataException($"'{path}' is truncated or corrupt: it declares {length} bytes of content but holds " +
                (read < rest.Length ? $"{Math.Max(0, read - 32)}." : "more."));
        }

        var payload = rest.AsSpan(0, (int)length);
        if (!SHA256.HashData(payload).AsSpan().SequenceEqual(rest.AsSpan((int)length)))
        {
            throw new InvalidDataException($"'{path}' is corrupt: its checksum does not match its content.");
        }

        return payload.ToArray();
    }

    private void EnsureOrder()
    {
        if (_orderEpoch == Epoch)
        {
            return;
        }

        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        _shuffle.State = SeededRandom.Hash(_seed, (ulong)Epoch);
        _shuffle.Shuffle(_order.AsSpan());
        _orderEpoch = Epoch;
    }

    // The name of the first parameter holding a NaN or an infinity, or null.
    private string? FirstNonFiniteParameter()
    {
        foreach (var parameter in _network.Parameters)
        {
            foreach (float v in parameter.Value)
            {
                if (!float.IsFinite(v))
                {
                    return parameter.Name;
                }
            }
        }

        return null;
    }

    private void Gather(ImageDataset data, ReadOnlySpan<int> indices)
    {
        int size = data.Shape.Size, targetSize = data.TargetSize;
        var labels = data.Labels;
        var targets = data.Targets;
        for (int i = 0; i < indices.Length; i++)
        {
            int index = indices[i];
            data.CopyImage(index, _inputs.AsSpan(i * size, size));
            if (labels is not null)
            {
                _labels[i] = labels[index];
            }

            if (targets is not null)
            {
                targets.AsSpan(index * targetSize, targetSize).CopyTo(_targets.AsSpan(i * targetSize));
            }
        }
    }
}
