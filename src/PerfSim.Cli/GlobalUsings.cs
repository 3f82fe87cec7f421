// Every verb reports request errors and bad files with the composition and data layers' exception types.
global using PerfSim.Composition;
global using PerfSim.Data;
global using PerfSim.Core;
