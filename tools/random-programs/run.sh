#!/bin/bash
# Random taped methods checked outside the test suite (docs/testing.md): generates COUNT methods from SEED, compiles them
# with the generator, and checks each gradient against central differences in double, each Jvp against the gradient,
# each Hessian-vector product against differences of the gradient; with --float, the same methods written in float
# against their double twins. Needs python3 beside the .NET SDK.
# Usage: tools/random-programs/run.sh SEED COUNT [SIGNATURES [ONLY]] [--float] (--float: signatures 0 to 3)
set -e
export PYTHONDONTWRITEBYTECODE=1
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${AUTODIFF_RANDOM_PROGRAMS:-/tmp/autodiff-random-programs}"
float=0
args=()
for a in "$@"; do if [ "$a" = "--float" ]; then float=1; else args+=("$a"); fi; done
mkdir -p "$work" && cd "$work"
cat > RandomPrograms.csproj <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <NoWarn>CS0219;CS0162;CS8321</NoWarn>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$repo/Runtime/Runtime.csproj" />
    <ProjectReference Include="$repo/Generator/Generator.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
PROJECT
rm -f FF.cs
python3 "$here/gen.py" "${args[@]}" > F.cs
if [ $float = 1 ]; then python3 "$here/floatify.py" F.cs > FF.cs; fi
build() { dotnet build 2>&1 | grep -E "error" | sort -u > build.log || true; }
program() { if [ $float = 1 ]; then python3 "$here/progf.py" F.cs > Program.cs; else python3 "$here/prog.py" F.cs > Program.cs; fi; }
program; build
# Methods the generator refuses (a diagnostic each) are listed and left out.
if grep -q "/F.cs" build.log; then python3 "$here/drop.py"; program; [ $float = 1 ] && python3 "$here/floatify.py" F.cs > FF.cs; build; fi
if [ -s build.log ]; then head -c 4000 build.log; exit 1; fi
dotnet run --no-build
