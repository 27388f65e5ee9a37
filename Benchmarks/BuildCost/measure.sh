#!/usr/bin/env bash
# What the generator costs the build a user runs: a class library of 200 [Differentiable] methods
# (Generator.Tests/Sources/TwoHundredMethods.cs) referencing the packed AutoDiff package, built with
# `dotnet build --no-restore` after touching its source (one edit-build cycle), with AutoDiff's generator and
# analyzer and without them. Prints each build's wall time and the medians. The builds use the compiler server
# (-p:UseSharedCompilation=true), warmed first, as on a developer's machine: this repository's CI machine turns
# it off, and a cold compiler takes several times longer over the generated code.
#   bash Benchmarks/BuildCost/measure.sh [repetitions]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
repetitions=${1:-5}
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT; echo "work: $work" >&2
version="0.0.0-buildcost.$(date +%s)"

dotnet pack "$root/Runtime/Runtime.csproj" -c Release -o "$work/feed" -p:Version="$version" > "$work/pack.log"
mkdir "$work/app"
cp "$root/Generator.Tests/Sources/TwoHundredMethods.cs" "$work/app/"
cat > "$work/app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="autodiff-local" value="$work/feed" />
  </packageSources>
</configuration>
XML
cat > "$work/app/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="AutoDiff" Version="$version" />
  </ItemGroup>
  <!-- -p:AutoDiffGenerator=false: the same build without AutoDiff's generator and analyzer. -->
  <Target Name="WithoutAutoDiffGenerator" BeforeTargets="CoreCompile" Condition="'\$(AutoDiffGenerator)' == 'false'">
    <ItemGroup>
      <Analyzer Remove="@(Analyzer)" Condition="'%(Filename)' == 'AutoDiff.Generator'" />
    </ItemGroup>
  </Target>
</Project>
XML

cd "$work/app"
dotnet restore > restore.log
build() { # $1 = true|false; prints seconds
  touch TwoHundredMethods.cs
  local start end
  start=$(date +%s.%N)
  dotnet build --no-restore -c Release -p:UseSharedCompilation=true -p:AutoDiffGenerator="$1" > build.log || { cat build.log; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}
for warm in 1 2; do build true > /dev/null; build false > /dev/null; done   # warm the compiler server, both ways
with=(); without=()
for ((k = 0; k < repetitions; k++)); do
  without+=("$(build false)")
  with+=("$(build true)")
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "without the generator (s): ${without[*]}"
echo "with the generator (s):    ${with[*]}"
m0=$(median "${without[@]}"); m1=$(median "${with[@]}")
echo "median: $m0 s without, $m1 s with: the generator adds $(echo "scale=2; ($m1 - $m0) / $m0 * 100" | bc)%"
