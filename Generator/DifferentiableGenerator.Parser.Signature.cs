using System.Collections.Generic;
using System.Linq;
using AutoDiff.Generator.Diagnostics;
using AutoDiff.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiff.Generator;

public sealed partial class DifferentiableGenerator
{
    internal static partial class Parser
    {
        // The signature: the containing types, the parameters and their roles, what a method of rows may take.
        private sealed partial class Lowering
        {
            private List<TypeDeclarationModel> CheckSignature()
            {
                var types = new List<TypeDeclarationModel>();
                for (var parent = _syntax.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is not TypeDeclarationSyntax type)
                    {
                        continue;
                    }

                    if (!type.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        Report(DiagnosticDescriptors.TypeNotPartial, type.Identifier.GetLocation(), type.Identifier.Text, _method.Name);
                    }

                    if (type.TypeParameterList is not null)
                    {
                        Report(DiagnosticDescriptors.GenericNotSupported, type.Identifier.GetLocation(), type.Identifier.Text);
                    }

                    string keyword = type switch
                    {
                        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                        _ => type.Keyword.Text,
                    };
                    types.Insert(0, new TypeDeclarationModel(keyword, type.Identifier.Text));
                }

                if (_syntax.TypeParameterList is not null)
                {
                    Report(DiagnosticDescriptors.GenericNotSupported, _syntax.Identifier.GetLocation(), _method.Name);
                }

                if (!_method.IsStatic)
                {
                    Report(DiagnosticDescriptors.MethodNotStatic, _syntax.Identifier.GetLocation(), _method.Name);
                }

                // A void helper's results are its out and ref parameters of float or double and the spans and arrays it
                // writes: their type is the method's. One without (a counter it steps through a ref int) takes it from
                // its values, or is of double where it has none (inlined where it is called, it computes in the caller's).
                _type = _method.ReturnType.SpecialType;
                if (_method.ReturnsVoid && _method.Parameters.FirstOrDefault(p => IsResult(p) || IsWrittenSpan(p)) is { } result)
                {
                    _type = ElementOf(result.Type)?.SpecialType ?? result.Type.SpecialType;
                }
                else if (_method.ReturnsVoid)
                {
                    var values = _method.Parameters.Select(p => ShapeOf(p.Type, out var element) is null ? SpecialType.None : element);
                    _type = values.FirstOrDefault(t => t is SpecialType.System_Single or SpecialType.System_Double) is var first && first != SpecialType.None
                        ? first
                        : SpecialType.System_Double;
                }
                else if (_type is not (SpecialType.System_Single or SpecialType.System_Double))
                {
                    Report(DiagnosticDescriptors.UnsupportedType, _syntax.ReturnType.GetLocation(), _method.Name, _method.ReturnType.ToDisplayString());
                    _type = _method.Parameters.FirstOrDefault()?.Type.SpecialType ?? SpecialType.System_Single;
                }

                // The method symbol's parameters are the syntax's, in order (asking the model per parameter costs more).
                var parameters = _syntax.ParameterList.Parameters;
                for (int i = 0; i < parameters.Count && i < _method.Parameters.Length; i++)
                {
                    CheckParameter(parameters[i], _method.Parameters[i]);
                }

                if (_diagnostics.Count == 0)
                {
                    CheckRowParameters();
                }

                if (_diagnostics.Count == 0 && !_method.ReturnsVoid && _parameters.All(p => p.Role == ParameterRole.Constant || p.IsPassive))
                {
                    Report(DiagnosticDescriptors.NoElementParameter, _syntax.Identifier.GetLocation(), _method.Name);
                }

                return types;
            }

            private void CheckParameter(ParameterSyntax syntax, IParameterSymbol parameter)
            {
                // A float, double, integer or bool passed by read-only reference (`in`, `ref readonly`) is a value to the
                // generator: the method cannot change it, and the generated forms take it by value.
                // So is a ref one of a method that returns a value: its own forms take it by value (the gradient of the
                // value returned), and its callers inline it, so they follow what it writes.
                // So is an integer or bool a void helper takes by ref (a counter it steps): its callers inline it and read
                // what it wrote, and its own forms pass it on to the method.
                bool readOnlyScalar = (parameter.RefKind is RefKind.In or RefKind.RefReadOnlyParameter ||
                                       (parameter.RefKind == RefKind.Ref && (!_method.ReturnsVoid || ShapeOf(parameter.Type, out _)?.IsPassive() == true))) &&
                                      IsOneValue(parameter.Type);
                bool result = IsResult(parameter);
                foreach (var modifier in syntax.Modifiers)
                {
                    if ((readOnlyScalar && modifier.Kind() is SyntaxKind.InKeyword or SyntaxKind.RefKeyword or SyntaxKind.ReadOnlyKeyword) ||
                        (result && modifier.Kind() is SyntaxKind.OutKeyword or SyntaxKind.RefKeyword))
                    {
                        continue;
                    }

                    if (modifier.Kind() is SyntaxKind.RefKeyword or SyntaxKind.OutKeyword or SyntaxKind.InKeyword
                        or SyntaxKind.ParamsKeyword or SyntaxKind.ThisKeyword or SyntaxKind.ReadOnlyKeyword or SyntaxKind.ScopedKeyword)
                    {
                        Report(DiagnosticDescriptors.ParameterByReference, modifier.GetLocation(), parameter.Name, modifier.Text);
                    }
                }

                var typeLocation = syntax.Type?.GetLocation() ?? syntax.Identifier.GetLocation();
                var shape = ShapeOf(parameter.Type, out var special);
                bool converted = false;
                if (IsWrittenSpan(parameter))
                {
                    (shape, special) = (ParameterShape.Span, ElementOf(parameter.Type)!.SpecialType);
                }

                if (shape is null || (special is not (SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int32 or SpecialType.System_Boolean) && shape != ParameterShape.Integer))
                {
                    Report(DiagnosticDescriptors.UnsupportedType, typeLocation, parameter.Name, parameter.Type.ToDisplayString());
                }
                else if (IsConverted(parameter, _method))
                {
                    converted = true;
                }
                else if (special != _type && shape?.IsPassive() != true)
                {
                    var expected = shape != ParameterShape.Span ? TypeName : parameter.Type is IArrayTypeSymbol ? TypeName + "[]" : $"ReadOnlySpan<{TypeName}>";
                    Report(DiagnosticDescriptors.MixedPrecision, typeLocation, parameter.Type.ToDisplayString(), TypeName,
                        $"declare '{parameter.Name}' as {expected}");
                }

                bool noDiff = HasAttribute(parameter, NoDiffAttribute);
                bool constant = HasAttribute(parameter, ConstantAttribute);
                if (noDiff && constant)
                {
                    Report(DiagnosticDescriptors.ConflictingRoles, syntax.Identifier.GetLocation(), parameter.Name);
                }

                var role = shape?.IsPassive() == true ? ParameterRole.NoDiff : RoleOf(parameter);
                if (shape == ParameterShape.Span && role == ParameterRole.Constant)
                {
                    Report(DiagnosticDescriptors.UnsupportedSyntax, syntax.Identifier.GetLocation(), $"A [Constant] span '{parameter.Name}'",
                        "mark a span without a gradient [NoDiff]; [Constant] is for one scalar shared by every row");
                }

                _parameters.Add(new ParameterModel(Emit.NameScope.Identifier(parameter.Name), role, result ? ParameterShape.Out : shape ?? ParameterShape.Scalar, parameter.Type is IArrayTypeSymbol,
                    shape == ParameterShape.Integer ? parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : null, ByReference: parameter.RefKind == RefKind.Ref,
                    Writable: parameter.Type is INamedTypeSymbol { Name: "Span" } || (IsWrittenSpan(parameter) && parameter.Type is IArrayTypeSymbol), Converted: converted, PassedIn: parameter.RefKind is RefKind.In or RefKind.RefReadOnlyParameter));
            }

            // A Span<float> or Span<double>, or a float[] or double[], of a void method: written in place, one of its results
            // (the caller's span or array).
            private bool IsWrittenSpan(IParameterSymbol parameter) =>
                _method.ReturnsVoid && parameter.RefKind == RefKind.None && parameter.Type is INamedTypeSymbol { Name: "Span" } or IArrayTypeSymbol &&
                ElementOf(parameter.Type)?.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

            // An out or ref float or double of a void method: one of its results.
            private bool IsResult(IParameterSymbol parameter) =>
                _method.ReturnsVoid && parameter.RefKind is RefKind.Out or RefKind.Ref && parameter.Type.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

            // An integer type other than int, which a taped body reads as a number: long, ulong, uint, short, ushort,
            // byte, sbyte and char.
            private static bool IsOtherInteger(SpecialType special) => special is SpecialType.System_Int64 or SpecialType.System_UInt64
                or SpecialType.System_UInt32 or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte
                or SpecialType.System_SByte or SpecialType.System_Char;

            // float/double, ReadOnlySpan<float/double>, Span<float/double> or float[]/double[] (a span: one a method that returns
            // a value writes is copied on entry, as an array is), int (an index into a span), a span or array of ints
            // (indices), bool, or another integer.
            // A float, a double, an integer or a bool: one value, which a reference to it can stand for (in, ref readonly, ref).
            private static bool IsOneValue(ITypeSymbol type) =>
                type.SpecialType is SpecialType.System_Single or SpecialType.System_Double ||
                ShapeOf(type, out _) is ParameterShape.Index or ParameterShape.Integer or ParameterShape.Flag;

            private static ParameterShape? ShapeOf(ITypeSymbol type, out SpecialType element)
            {
                element = type.SpecialType;
                if (element is SpecialType.System_Single or SpecialType.System_Double)
                {
                    return ParameterShape.Scalar;
                }

                if (element == SpecialType.System_Int32)
                {
                    return ParameterShape.Index;
                }

                if (IsOtherInteger(element))
                {
                    return ParameterShape.Integer;
                }

                if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType: { } underlying })
                {
                    element = underlying.SpecialType; // an enum is a number as its underlying integer is (switch (op) { case Op.Add: … })
                    return ParameterShape.Integer;
                }

                if (element == SpecialType.System_Boolean)
                {
                    return ParameterShape.Flag;
                }

                if (type is INamedTypeSymbol { Name: "ReadOnlySpan" or "Span", TypeArguments.Length: 1 } span &&
                    span.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true })
                {
                    element = span.TypeArguments[0].SpecialType;
                    return element == SpecialType.System_Int32 ? ParameterShape.Indices : ParameterShape.Span;
                }

                if (type is IArrayTypeSymbol { Rank: 1 } array)
                {
                    element = array.ElementType.SpecialType;
                    return element == SpecialType.System_Int32 ? ParameterShape.Indices : ParameterShape.Span;
                }

                return null;
            }

            // A method over spans: its scalars are per-row data or per-batch constants, never differentiated;
            // an int only makes sense as an index into a span. Both are kept for after the body (Deferred): a method
            // whose gradient is written statement by statement (a loop the graph cannot hold) takes differentiable
            // scalars beside spans, and ints as counts.
            private void CheckRowParameters()
            {
                bool row = _parameters.Any(p => p.Shape == ParameterShape.Span);
                for (int i = 0; i < _parameters.Count; i++)
                {
                    var parameter = _parameters[i];
                    var syntax = _syntax.ParameterList.Parameters[i];
                    if (row && parameter.Shape == ParameterShape.Scalar && parameter.Role == ParameterRole.Differentiable)
                    {
                        _deferred.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RowScalarDifferentiable, syntax.Identifier.GetLocation(), parameter.Name));
                    }
                    else if (parameter.Shape is ParameterShape.Flag or ParameterShape.Integer or ParameterShape.Indices)
                    {
                        _deferred.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, syntax.Type?.GetLocation() ?? syntax.Identifier.GetLocation(), parameter.Name,
                            parameter.Shape switch
                            {
                                ParameterShape.Flag => "bool, a switch only the taped gradient reads, in a body it cannot take either",
                                ParameterShape.Indices => "a span of ints, indices only the taped gradient reads, in a body it cannot take either",
                                _ => $"{parameter.IntegerType}, a number only the taped gradient reads, in a body it cannot take either",
                            }));
                    }
                    else if (!row && parameter.Shape == ParameterShape.Index)
                    {
                        _deferred.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, syntax.Type?.GetLocation() ?? syntax.Identifier.GetLocation(), parameter.Name,
                            "int, with no span to index, in a body the taped gradient cannot take either"));
                    }
                }
            }

            // A parameter of the other floating type is taken by a method of scalars (ints and bools beside them), which
            // gets its scalar forms alone; a supplied derivative or spans beside it still need one type.
            private void ConvertedOutsideScalarForms()
            {
                for (int i = 0; i < _parameters.Count; i++)
                {
                    if (_parameters[i].Converted)
                    {
                        var syntax = _syntax.ParameterList.Parameters[i];
                        Report(DiagnosticDescriptors.MixedPrecision, syntax.Type?.GetLocation() ?? syntax.Identifier.GetLocation(), ParameterModel.OtherType(TypeName), TypeName,
                            ConvertedAdvice(_method.Parameters[i].Name));
                    }
                }
            }

            private string ConvertedAdvice(string name) =>
                $"declare '{name}' as {TypeName}: a parameter of the other floating type is taken by a method of scalars, ints and bools without a supplied derivative";

            private static string Accessibility(Accessibility accessibility) => accessibility switch
            {
                Microsoft.CodeAnalysis.Accessibility.Public => "public",
                Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
                Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
                Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
                Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
                _ => "private",
            };
        }
    }
}
