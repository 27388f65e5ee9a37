global using AutoDiff.Generator.Tests.Infrastructure;
global using Xunit;
