// Data loads and writes the Core records: their namespaces are used by nearly every file here.
global using PerfSim.Core.Backends;
global using PerfSim.Core.Hardware;
global using PerfSim.Core.Units;
global using PerfSim.Core.Workloads;
global using PerfSim.Core;
