using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Emit;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    internal static partial class Parser
    {
        private sealed partial class Lowering
        {
            // A part of the method that may be left early: a loop's body (left by a break, a continue or a return in
            // it) or the method's body (left by a return). Its exits are numbered as written, from 1; a body run to its
            // end is numbered Exits + 1. A loop with exits keeps each iteration's number on the tape, and its reverse
            // pops it into Code; the method's number is Code itself. The statements written after exit j ran where
            // the number is above j.
            private sealed class Region
            {
                public Region(string code, string? count, string? next)
                {
                    Code = code;
                    Count = count;
                    Next = next;
                }

                /// <summary>The int holding the exit number (empty for a method whose only return is its last statement).</summary>
                public string Code { get; }

                /// <summary>A loop's count of the iterations it ran; null for the method.</summary>
                public string? Count { get; }

                /// <summary>The label where a loop's next iteration starts; null where a continue does it (a foreach).</summary>
                public string? Next { get; }

                /// <summary>How the forward sweep goes on to a loop's next iteration.</summary>
                public string ContinueText => Next is null ? "continue;" : $"goto {Next};";

                public int Exits { get; set; }

                /// <summary>Whether the reverse sweep reads <see cref="Code"/> (the method's number, set by constants, is left out where not).</summary>
                public bool Read { get; private set; }

                public List<int> Continues { get; } = new();

                /// <summary><see cref="Code"/>, read by the reverse sweep.</summary>
                public string Use()
                {
                    Read = true;
                    return Code;
                }

                public int Normal => Exits + 1;
            }

            // The taped gradient's control flow: if/else, loops, and the exits that leave them early.
            private sealed partial class TapeTranslator
            {
                // Whether control can leave the statement at its end (not by a break, a continue or a return).
                private bool Reaches(StatementSyntax statement) =>
                    _model.AnalyzeControlFlow(statement) is not { Succeeded: true, EndPointIsReachable: false };

                // A return: the result kept, and every region it leaves told so (each loop the exit's number and the
                // iterations it ran, as the loop would have kept them had it ended), then on to the reverse sweep. Its
                // reverse, where this return was the one taken, sends 1 to the result.
                // last: the method's last statement, from which the forward sweep runs on into the reverse.
                private void Return(ExpressionSyntax result, bool last, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var value = Real(result);
                    if (value is null)
                    {
                        return;
                    }

                    forward.Line($"{_value} = {Text(value)};");
                    var innermost = _regions.Peek();
                    int innermostExit = innermost.Exits + 1;
                    foreach (var region in _regions)
                    {
                        int exit = ++region.Exits;
                        if (region.Count is not null)
                        {
                            forward.Line($"{_tape}.PushInt({exit});");
                            forward.Line($"{_tape}.PushInt({region.Count});");
                        }
                        else if (region.Code.Length > 0)
                        {
                            forward.Line($"{region.Code} = {exit};");
                        }
                    }

                    if (!last)
                    {
                        forward.Line($"goto {_reverseLabel};");
                    }

                    reverse.Add(w => Under(w, innermost.Code.Length == 0 ? null : $"{innermost.Use()} == {innermostExit}",
                        () => Backpropagate(value, One, w, value.IsLeaf || value.Kind == TermKind.Call ? null : _value)));
                }

                // The branch taken is kept where the branch ends, if either branch has a reverse; one left by an exit
                // keeps nothing, as the exit number says which branch it was.
                private void If(IfStatementSyntax statement, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    // A condition that assigns runs its assignments first, undone after the branch's reverse; its sums
                    // over a function, and calls that write arrays, before it.
                    if (!InlineWritingCalls(statement.Condition, forward, reverse, assignments: false))
                    {
                        return;
                    }

                    var condition = HasEffect(statement.Condition) ? Tested(statement.Condition, forward, reverse) : Condition(statement.Condition);
                    if (condition is null)
                    {
                        return;
                    }

                    var region = _regions.Peek();
                    int before = region.Exits;
                    var whenTrue = new List<Action<CodeWriter>>();
                    var whenFalse = new List<Action<CodeWriter>>();
                    CodeWriter forwardTrue = forward.Indented(), forwardFalse = forward.Indented();
                    Statement(statement.Statement, forwardTrue, whenTrue);
                    int afterTrue = region.Exits;
                    if (statement.Else is { } otherwise)
                    {
                        Statement(otherwise.Statement, forwardFalse, whenFalse);
                    }

                    int after = region.Exits;
                    bool keep = whenTrue.Count + whenFalse.Count > 0;
                    if (keep && Reaches(statement.Statement))
                    {
                        forwardTrue.Line($"{_tape}.PushInt(1);");
                    }

                    if (keep && (statement.Else is null || Reaches(statement.Else.Statement)))
                    {
                        forwardFalse.Line($"{_tape}.PushInt(0);");
                    }

                    forward.Line($"if ({condition})").Line("{").Append(forwardTrue);
                    forward.Line("}");
                    if (!forwardFalse.IsEmpty)
                    {
                        forward.Line("else").Line("{").Append(forwardFalse);
                        forward.Line("}");
                    }

                    if (!keep)
                    {
                        return;
                    }

                    reverse.Add(w =>
                    {
                        string taken = after == before
                            ? $"{_tape}.PopInt() != 0"
                            : $"{region.Use()} > {after} ? {_tape}.PopInt() != 0 : {region.Code} <= {afterTrue}";
                        using (w.Block($"if ({taken})"))
                        {
                            Reverse(whenTrue, w);
                        }

                        if (whenFalse.Count > 0)
                        {
                            using (w.Block("else"))
                            {
                                Reverse(whenFalse, w);
                            }
                        }
                    });
                }

                // A case's pattern of constants and comparisons on an integer or a bool (case > 5:, case 1 or 2:,
                // case not 0:) as C#, its constants written as the generated code writes them; null (reported) for
                // one that declares, tests a type or reads members.
                private string? PatternSource(PatternSyntax pattern)
                {
                    switch (pattern)
                    {
                        case ParenthesizedPatternSyntax parenthesized:
                            return PatternSource(parenthesized.Pattern) is { } inner ? $"({inner})" : null;
                        case UnaryPatternSyntax { Pattern: var negated }:
                            return PatternSource(negated) is { } inner2 ? $"not ({inner2})" : null;
                        case BinaryPatternSyntax binary:
                            return PatternSource(binary.Left) is { } left && PatternSource(binary.Right) is { } right ? $"({left} {binary.OperatorToken.Text} {right})" : null;
                        case ConstantPatternSyntax { Expression: var constant } when _model.GetConstantValue(constant, _l._cancellationToken) is { HasValue: true, Value: not null }:
                            return PassiveText(constant);
                        case RelationalPatternSyntax relational when _model.GetConstantValue(relational.Expression, _l._cancellationToken).HasValue:
                            return PassiveText(relational.Expression) is { } bound ? $"{relational.OperatorToken.Text} {bound}" : null;
                        default:
                            Fail(pattern.GetLocation(), $"The pattern '{pattern}'", PatternAdvice);
                            return null;
                    }
                }

                // A switch on an int, a long or a bool with constant cases (or patterns of them): the forward sweep runs it as written, each
                // section that runs to its end keeping its number (one past the last where no section matched) if any
                // section has a reverse; the reverse runs the reverse of the section taken. A section ends with its
                // break (or leaves by return or continue): a break before its end is refused, as is a case with a when clause.
                private void Switch(SwitchStatementSyntax statement, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var ct = _l._cancellationToken;
                    if (KindOf(_model.GetTypeInfo(statement.Expression, ct).Type) is not (Kind.Int or Kind.Integer or Kind.Bool))
                    {
                        Fail(statement.Expression.GetLocation(), "A switch on anything but an integer or a bool", "switch on an int, or write if/else");
                        return;
                    }

                    if (PassiveText(statement.Expression) is not { } governing)
                    {
                        return;
                    }

                    var sections = new List<(List<string> Labels, List<StatementSyntax> Body)>();
                    foreach (var section in statement.Sections)
                    {
                        var labels = new List<string>();
                        foreach (var label in section.Labels)
                        {
                            if (label is DefaultSwitchLabelSyntax)
                            {
                                labels.Add("default:");
                            }
                            else if (label is CaseSwitchLabelSyntax { Value: var value } && _model.GetConstantValue(value, ct).HasValue && PassiveText(value) is { } constant)
                            {
                                labels.Add($"case {constant}:");
                            }
                            else if (label is CasePatternSwitchLabelSyntax { WhenClause: null } patterned && PatternSource(patterned.Pattern) is { } pattern)
                            {
                                labels.Add($"case {pattern}:");
                            }
                            else if (_failed)
                            {
                                return; // the pattern said why
                            }
                            else
                            {
                                Fail(label.GetLocation(), "A case with a when clause, a pattern that declares or a value known only when it runs",
                                    "write constant cases and patterns of constants (case > 2:, case 1 or 2:), or if/else");
                                return;
                            }
                        }

                        // The section's statements, its closing break left out (also where it closes a block that ends the section).
                        var body = section.Statements.ToList();
                        if (body.LastOrDefault() is BreakStatementSyntax)
                        {
                            body.RemoveAt(body.Count - 1);
                        }
                        else if (body.LastOrDefault() is BlockSyntax { Statements: { Count: > 0 } inner } && inner.Last() is BreakStatementSyntax)
                        {
                            body.RemoveAt(body.Count - 1);
                            body.AddRange(inner.Take(inner.Count - 1));
                        }

                        var early = body.SelectMany(b => b.DescendantNodesAndSelf()).OfType<BreakStatementSyntax>()
                            .FirstOrDefault(b => b.Ancestors().First(a => IsLoop(a) || a is SwitchStatementSyntax) == statement);
                        if (early is not null)
                        {
                            Fail(early.GetLocation(), "A break before the end of a switch section", "end the section with its break, and put what comes before it under an if");
                            return;
                        }

                        sections.Add((labels, body));
                    }

                    var region = _regions.Peek();
                    int before = region.Exits;
                    var steps = new List<List<Action<CodeWriter>>>();
                    var writers = new List<CodeWriter>();
                    var ends = new List<bool>();
                    var afters = new List<int>();
                    foreach (var (_, body) in sections)
                    {
                        var sectionSteps = new List<Action<CodeWriter>>();
                        var w = forward.Indented().Indented();
                        bool end = true;
                        foreach (var inner in body)
                        {
                            Statement(inner, w, sectionSteps);
                            if (!Reaches(inner))
                            {
                                end = false;
                                break;
                            }
                        }

                        steps.Add(sectionSteps);
                        writers.Add(w);
                        ends.Add(end);
                        afters.Add(region.Exits);
                    }

                    bool keep = steps.Any(st => st.Count > 0);
                    bool matchesAll = sections.Any(section => section.Labels.Contains("default:"));
                    forward.Line($"switch ({governing})").Line("{");
                    for (int k = 0; k < sections.Count; k++)
                    {
                        var labels = forward.Indented();
                        sections[k].Labels.ForEach(label => labels.Line(label));
                        forward.Append(labels);
                        if (ends[k])
                        {
                            if (keep)
                            {
                                writers[k].Line($"{_tape}.PushInt({k});");
                            }

                            writers[k].Line("break;");
                        }

                        forward.Append(writers[k]);
                    }

                    if (keep && !matchesAll)
                    {
                        var none = forward.Indented().Line("default:");
                        none.Append(forward.Indented().Indented().Line($"{_tape}.PushInt({sections.Count});").Line("break;"));
                        forward.Append(none);
                    }

                    forward.Line("}");
                    if (!keep)
                    {
                        return;
                    }

                    int after = region.Exits;
                    reverse.Add(w =>
                    {
                        // Left by an exit, the section is the one whose exits hold the exit number; else it kept its number.
                        string taken = $"{_tape}.PopInt()";
                        if (after > before)
                        {
                            var bySection = Enumerable.Range(0, sections.Count).Where(k => afters[k] > (k == 0 ? before : afters[k - 1]))
                                .Select(k => $"{region.Code} <= {afters[k]} ? {k} : ");
                            taken = $"{region.Use()} > {after} ? {taken} : {string.Concat(bySection)}-1";
                        }

                        using (w.Block($"switch ({taken})"))
                        {
                            for (int k = 0; k < sections.Count; k++)
                            {
                                if (steps[k].Count == 0)
                                {
                                    continue;
                                }

                                w.Line($"case {k}:");
                                using (w.Block())
                                {
                                    Reverse(steps[k], w);
                                    w.Line("break;");
                                }
                            }
                        }
                    });
                }

                // Code written under a condition, or as it is where there is none.
                private static void Under(CodeWriter w, string? condition, Action write)
                {
                    if (condition is null)
                    {
                        write();
                        return;
                    }

                    using (w.Block($"if ({condition})"))
                    {
                        write();
                    }
                }

                private static void Reverse(List<Action<CodeWriter>> steps, CodeWriter w)
                {
                    for (int i = steps.Count - 1; i >= 0; i--)
                    {
                        steps[i](w);
                    }
                }

                // for, while and do: the forward sweep counts the iterations and keeps the count; the reverse sweep
                // runs the reverse of the incrementors and the body that many times, then that of the initializers. A
                // loop with exits also keeps each iteration's exit number; the incrementors ran where it ended or
                // continued.
                private void Loop(StatementSyntax loop, VariableDeclarationSyntax? declaration, SeparatedSyntaxList<ExpressionSyntax> initializers,
                    ExpressionSyntax? condition, SeparatedSyntaxList<ExpressionSyntax> incrementors, StatementSyntax body, bool conditionFirst,
                    CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var start = new List<Action<CodeWriter>>();
                    if (declaration is not null)
                    {
                        Declaration(declaration, forward, start);
                    }

                    foreach (var initializer in initializers)
                    {
                        Effect(initializer, forward, start);
                    }

                    if (condition is not null && (HasAssignment(condition) || HasGuardedStep(condition)))
                    {
                        TestedLoop(loop, condition, incrementors, body, conditionFirst, start, forward, reverse);
                        return;
                    }

                    // A condition may step an int (while (counter-- > 0)): every test steps it once, and the reverse
                    // undoes each step by the opposite one — a while or for loop's after each iteration and once for
                    // the test that ended the loop, a do loop's after each iteration. In a loop with exits the tests
                    // ran where the iterations' exit numbers say: after an iteration that ran to its end or continued
                    // (the last one's test ended the loop where it was not left by break or return).
                    _conditionSteps = new List<(string Name, bool Increment)>();
                    string test = condition is null ? "true" : Condition(condition) ?? "true";
                    var testSteps = _conditionSteps;
                    _conditionSteps = null;
                    string undoTest = string.Join(" ", testSteps.AsEnumerable().Reverse().Select(s => $"{s.Name}{(s.Increment ? "--" : "++")};"));
                    string count = Hoist(_names.Fresh("iterations"), Kind.Int);
                    var region = Enter(loop, body, count);
                    string? last = testSteps.Count > 0 && region.Code.Length > 0 && conditionFirst ? Hoist(_names.Fresh("last"), Kind.Bool) : null;
                    var steps = new List<Action<CodeWriter>>();
                    var stepsAfter = new List<Action<CodeWriter>>();
                    forward.Line($"{count} = 0;");
                    using (forward.Block(conditionFirst ? $"while ({test})" : "do"))
                    {
                        forward.Line($"{count}++;");
                        Body(region, body, forward, steps);
                        if (region.Continues.Count > 0)
                        {
                            forward.Line($"{region.Next}: ;");
                        }

                        foreach (var incrementor in incrementors)
                        {
                            Effect(incrementor, forward, stepsAfter);
                        }
                    }

                    if (!conditionFirst)
                    {
                        // The block closed with "}": the do loop's condition follows on that line.
                        forward.Line($"while ({test});");
                    }

                    if (Reaches(loop))
                    {
                        forward.Line($"{_tape}.PushInt({count});");
                    }

                    reverse.AddRange(start);
                    reverse.Add(w =>
                    {
                        string? ran = region.Exits > 0 ? string.Join(" || ", region.Continues.Prepend(region.Normal).Select(e => $"{region.Use()} == {e}")) : null;
                        if (last is not null)
                        {
                            // The test that ended the loop: alone where no iteration ran, else after the last one.
                            w.Line($"{count} = {_tape}.PopInt();");
                            Under(w, $"{count} == 0", () => w.Line(undoTest));
                            w.Line($"{last} = true;");
                        }
                        else if (conditionFirst && undoTest.Length > 0)
                        {
                            w.Line(undoTest);
                        }

                        using (w.Block(last is not null ? $"for (; {count} > 0; {count}--)" : $"for ({count} = {_tape}.PopInt(); {count} > 0; {count}--)"))
                        {
                            if (region.Exits > 0)
                            {
                                w.Line($"{region.Code} = {_tape}.PopInt();");
                            }

                            if (last is not null)
                            {
                                using (w.Block($"if ({last})"))
                                {
                                    w.Line($"{last} = false;");
                                    Under(w, ran, () => w.Line(undoTest));
                                }
                            }

                            if (!conditionFirst && undoTest.Length > 0)
                            {
                                Under(w, ran, () => w.Line(undoTest));
                            }

                            Under(w, ran, () => Reverse(stepsAfter, w));

                            Reverse(steps, w);
                            if (conditionFirst && undoTest.Length > 0)
                            {
                                w.Line(undoTest);
                            }
                        }
                    });
                }

                // A loop whose condition assigns ((r = x) != 0, (res = u * v) != 0 && (u = 0) != 0), run as
                // while (true) { the test, left by an exit of its own where it fails; the body; the incrementors } (a do
                // loop: the body, then the test). The test's assignments are kept like the body's, and every iteration
                // keeps its exit number (one int), so the reverse undoes the test where it ran: in a for or while loop
                // after the body (each iteration began with a test), in a do loop before it where the body ran to its
                // end or continued.
                private void TestedLoop(StatementSyntax loop, ExpressionSyntax condition, SeparatedSyntaxList<ExpressionSyntax> incrementors, StatementSyntax body,
                    bool conditionFirst, List<Action<CodeWriter>> start, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    if (KindOf(_model.GetTypeInfo(condition, _l._cancellationToken).Type) != Kind.Bool)
                    {
                        Fail(condition.GetLocation(), "A condition that is not a bool", "compare");
                        return;
                    }

                    string count = Hoist(_names.Fresh("iterations"), Kind.Int);
                    var region = new Region(Hoist(_names.Fresh("exit"), Kind.Int), count, _names.Fresh("next"));
                    var steps = new List<Action<CodeWriter>>(); // a for or while loop's test, then the body
                    var after = new List<Action<CodeWriter>>(); // the incrementors, or a do loop's test
                    int failed = 0;
                    forward.Line($"{count} = 0;");
                    using (forward.Block("while (true)"))
                    {
                        forward.Line($"{count}++;");
                        if (conditionFirst)
                        {
                            failed = Test(region, condition, forward, steps);
                            Body(region, body, forward, steps);
                            if (region.Continues.Count > 0)
                            {
                                forward.Line($"{region.Next}: ;");
                            }

                            foreach (var incrementor in incrementors)
                            {
                                Effect(incrementor, forward, after);
                            }
                        }
                        else
                        {
                            _regions.Push(region);
                            Statement(body, forward, steps);
                            _regions.Pop();
                            if (region.Continues.Count > 0)
                            {
                                forward.Line($"{region.Next}: ;");
                            }

                            if (Reaches(body) || region.Continues.Count > 0)
                            {
                                failed = Test(region, condition, forward, after);
                                forward.Line($"{_tape}.PushInt({region.Normal});");
                            }
                        }
                    }

                    if (Reaches(loop))
                    {
                        forward.Line($"{_tape}.PushInt({count});");
                    }

                    reverse.AddRange(start);
                    reverse.Add(w =>
                    {
                        using (w.Block($"for ({count} = {_tape}.PopInt(); {count} > 0; {count}--)"))
                        {
                            w.Line($"{region.Code} = {_tape}.PopInt();");
                            if (after.Count > 0)
                            {
                                var ran = conditionFirst ? region.Continues.Prepend(region.Normal) : region.Continues.Concat(new[] { failed, region.Normal });
                                Under(w, string.Join(" || ", ran.Select(e => $"{region.Use()} == {e}")), () => Reverse(after, w));
                            }

                            Reverse(steps, w);
                        }
                    });
                }

                // A loop's test that assigns, then the exit taken where it fails; its number.
                private int Test(Region region, ExpressionSyntax condition, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    string? test = Tested(condition, forward, reverse);
                    int exit = ++region.Exits;
                    using (forward.Block($"if (!({test}))"))
                    {
                        forward.Line($"{_tape}.PushInt({exit});");
                        forward.Line("break;");
                    }

                    return exit;
                }

                private static bool HasAssignment(ExpressionSyntax expression) => expression.DescendantNodesAndSelf().Any(n => n is AssignmentExpressionSyntax);

                // An assignment or a step (++, --) in an expression.
                private static bool HasEffect(ExpressionSyntax expression) => expression.DescendantNodesAndSelf().Any(n => n is AssignmentExpressionSyntax || IsStep(n));

                private static bool IsStep(SyntaxNode node) =>
                    node.Kind() is SyntaxKind.PostIncrementExpression or SyntaxKind.PostDecrementExpression or SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression;

                // A step that only some tests run (behind && or ||, inside ?:: while (err > tol && it++ < 50)): the tested
                // loop's to keep where it ran; a step every test runs is undone by the opposite one (ConditionStep).
                private static bool HasGuardedStep(ExpressionSyntax condition) =>
                    condition.DescendantNodesAndSelf().Any(n => IsStep(n) && IsGuarded(n));

                private static ExpressionSyntax StepOperand(ExpressionSyntax step) =>
                    step is PostfixUnaryExpressionSyntax post ? post.Operand : ((PrefixUnaryExpressionSyntax)step).Operand;

                private static bool IsGuarded(SyntaxNode step) =>
                    step.Ancestors().TakeWhile(a => a is ExpressionSyntax).Any(a => a is ConditionalExpressionSyntax ||
                        a.Kind() is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression);

                // A condition that assigns: its assignments run as statements in C#'s order, each kept like any other, and
                // what is returned is the test on the values they left. The right operand of && and || runs only where
                // the left one did not decide: its assignments are undone only where they ran (one int kept per test).
                // null (reported) for an assignment to the right of an operand it could change ((a = 2) + a reads a
                // after; a + (a = 2) before), to an element, or inside ?:.
                private string? Tested(ExpressionSyntax expression, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    if (!HasEffect(expression))
                    {
                        return PassiveText(expression);
                    }

                    switch (expression)
                    {
                        case ParenthesizedExpressionSyntax parenthesized:
                            return Tested(parenthesized.Expression, forward, reverse) is { } inner ? $"({inner})" : null;
                        case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression):
                            return Tested(unary.Operand, forward, reverse) is { } operand ? $"!{operand}" : null;
                        case AssignmentExpressionSyntax assignment when !HasEffect(assignment.Right) && assignment.Left is IdentifierNameSyntax &&
                                                                        Target(assignment.Left) is { Kind: Kind.Real or Kind.Int or Kind.Integer or Kind.Bool } variable:
                            if (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && _model.GetSymbolInfo(assignment.Left, _l._cancellationToken).Symbol is ILocalSymbol local &&
                                !_read.Contains(local))
                            {
                                return PassiveText(assignment.Right) is { } right ? $"({right})" : null; // a local read nowhere: only its value matters
                            }

                            Effect(assignment, forward, reverse);
                            return _failed ? null : variable.Name;
                        case PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax when IsStep(expression) &&
                            StepOperand(expression) is IdentifierNameSyntax stepped && Target(stepped) is { Kind: Kind.Int or Kind.Integer } counter:
                            // it++ runs as a statement (undone by the opposite step); its value is the one before (it − 1).
                            Effect(expression, forward, reverse);
                            bool up = expression.Kind() is SyntaxKind.PostIncrementExpression or SyntaxKind.PreIncrementExpression;
                            return _failed ? null : expression is PostfixUnaryExpressionSyntax ? $"({counter.Name} {(up ? "-" : "+")} 1)" : counter.Name;
                        case BinaryExpressionSyntax binary when binary.Kind() is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression:
                            if (!HasEffect(binary.Right))
                            {
                                return Tested(binary.Left, forward, reverse) is { } l && PassiveText(binary.Right) is { } r ? $"{l} {binary.OperatorToken.Text} {r}" : null;
                            }

                            // left && right: right's assignments run where left held (left || right: where it did not).
                            if (Tested(binary.Left, forward, reverse) is not { } left)
                            {
                                return null;
                            }

                            // Whether the right operand ran is kept after what it kept, for the reverse to pop first.
                            string test = Hoist(_names.Fresh("test"), Kind.Bool);
                            forward.Line($"{test} = {left};");
                            var rightSteps = new List<Action<CodeWriter>>();
                            using (forward.Block(binary.IsKind(SyntaxKind.LogicalAndExpression) ? $"if ({test})" : $"if (!{test})"))
                            {
                                if (Tested(binary.Right, forward, rightSteps) is not { } right)
                                {
                                    return null;
                                }

                                forward.Line($"{test} = {right};");
                                forward.Line($"{_tape}.PushInt(1);");
                            }

                            using (forward.Block("else"))
                            {
                                forward.Line($"{_tape}.PushInt(0);");
                            }

                            reverse.Add(w =>
                            {
                                using (w.Block($"if ({_tape}.PopInt() != 0)"))
                                {
                                    Reverse(rightSteps, w);
                                }
                            });
                            return test;
                        case BinaryExpressionSyntax binary when !HasEffect(binary.Right) || _model.GetConstantValue(binary.Left, _l._cancellationToken).HasValue:
                            return Tested(binary.Left, forward, reverse) is { } a && Tested(binary.Right, forward, reverse) is { } b ? $"{a} {binary.OperatorToken.Text} {b}" : null;
                    }

                    Fail(expression.GetLocation(), $"{Describe(expression)} that assigns, in a condition",
                        "assign in a statement of its own before the test (an assignment is taken in a condition where it assigns a local or a parameter, not to the right of an operand it could change and not inside ?:)");
                    return null;
                }

                // A loop's region: an exit number and, for a continue, a label where the next iteration starts (a
                // foreach's own continue steps the index).
                private Region Enter(StatementSyntax loop, StatementSyntax body, string count)
                {
                    bool exits = body.DescendantNodesAndSelf().Any(n => n is ReturnStatementSyntax ||
                        n is BreakStatementSyntax or ContinueStatementSyntax && n.Ancestors().First(IsLoop) == loop);
                    string? next = exits && loop is not ForEachStatementSyntax ? _names.Fresh("next") : null;
                    return new Region(exits ? Hoist(_names.Fresh("exit"), Kind.Int) : string.Empty, count, next);
                }

                private static bool IsLoop(SyntaxNode node) => node is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or ForEachStatementSyntax;

                // A loop's body in its region, then, where the body can end and the loop has exits, the number of an
                // iteration run to its end.
                private void Body(Region region, StatementSyntax body, CodeWriter forward, List<Action<CodeWriter>> steps)
                {
                    _regions.Push(region);
                    Statement(body, forward, steps);
                    _regions.Pop();
                    if (region.Exits > 0 && Reaches(body))
                    {
                        forward.Line($"{_tape}.PushInt({region.Normal});");
                    }
                }

                // foreach over a span parameter: a loop over its indices that assigns the element to the loop's local.
                private void ForEach(ForEachStatementSyntax loop, CodeWriter forward, List<Action<CodeWriter>> reverse)
                {
                    var model = _model;
                    if (model.GetSymbolInfo(loop.Expression, _l._cancellationToken).Symbol is not { } symbol || !_variables.TryGetValue(symbol, out var span) ||
                        span.Kind is not (Kind.Span or Kind.Ints) || model.GetDeclaredSymbol(loop, _l._cancellationToken) is not { } local)
                    {
                        Fail(loop.Expression.GetLocation(), "A foreach over anything but a span or an array", "loop over a span parameter or a local array, or count with for");
                        return;
                    }

                    // The element: a T (with its adjoint) over a span of T, an int over an array of ints.
                    if (Declare(local, loop.Type, lazyAdjoint: true) is not { } element || element.Kind != (span.Kind == Kind.Ints ? Kind.Int : Kind.Real))
                    {
                        _failed = true;
                        return;
                    }

                    string push = element.Kind == Kind.Int ? "PushInt" : "Push", pop = element.Kind == Kind.Int ? "PopInt" : "Pop";

                    // Run to its end, the loop ran span.Length iterations; one with exits keeps how many it ran.
                    string index = Hoist(_names.Fresh("index"), Kind.Int);
                    var region = Enter(loop, loop.Statement, $"{index} + 1");
                    var steps = new List<Action<CodeWriter>>();
                    using (forward.Block($"for ({index} = 0; {index} < {span.Name}.Length; {index}++)"))
                    {
                        forward.Line($"{_tape}.{push}({element.Name});");
                        forward.Line($"{element.Name} = {ElementText(span, index)};");
                        Body(region, loop.Statement, forward, steps);
                    }

                    if (region.Exits > 0 && Reaches(loop))
                    {
                        forward.Line($"{_tape}.PushInt({index} < {span.Name}.Length ? {index} + 1 : {index});");
                    }

                    reverse.Add(w =>
                    {
                        string last = region.Exits > 0 ? $"{_tape}.PopInt() - 1" : $"{span.Name}.Length - 1";
                        using (w.Block($"for ({index} = {last}; {index} >= 0; {index}--)"))
                        {
                            if (region.Exits > 0)
                            {
                                w.Line($"{region.Code} = {_tape}.PopInt();");
                            }

                            Reverse(steps, w);
                            w.Line($"{element.Name} = {_tape}.{pop}();");
                            if (element.Adjoint is not null && _usedAdjoints.Contains(element.Adjoint))
                            {
                                if (span.Adjoint is not null)
                                {
                                    w.Line(AddToElement(span, index, element.Adjoint!));
                                }

                                w.Line($"{element.Adjoint} = {Zero};");
                            }
                        }
                    });
                }

                // counter-- (or ++, prefix or postfix) of an int in a loop's condition, where every test runs it (not
                // behind && or || or inside ?:): kept for the reverse to undo.
                private string? ConditionStep(ExpressionSyntax expression)
                {
                    var (operand, increment, prefix) = expression switch
                    {
                        PostfixUnaryExpressionSyntax post => (post.Operand, post.IsKind(SyntaxKind.PostIncrementExpression), false),
                        PrefixUnaryExpressionSyntax pre when pre.Kind() is SyntaxKind.PreIncrementExpression or SyntaxKind.PreDecrementExpression =>
                            (pre.Operand, pre.IsKind(SyntaxKind.PreIncrementExpression), true),
                        _ => (null!, false, false),
                    };
                    if (_conditionSteps is null || operand is not IdentifierNameSyntax ||
                        _model.GetSymbolInfo(operand, _l._cancellationToken).Symbol is not { } symbol ||
                        !_variables.TryGetValue(symbol, out var variable) || !IsInteger(variable.Kind) ||
                        expression.Ancestors().TakeWhile(a => a is ExpressionSyntax).Any(a => a is ConditionalExpressionSyntax ||
                            a.Kind() is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression))
                    {
                        return null;
                    }

                    _conditionSteps.Add((variable.Name, increment));
                    string op = increment ? "++" : "--";
                    return prefix ? $"({op}{variable.Name})" : $"({variable.Name}{op})";
                }
            }
        }
    }
}
