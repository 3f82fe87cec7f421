namespace PerfSim.Core.Units;

// Unit-bearing value types. Each wraps one double in SI base units (bytes, seconds, FLOP/s, watts,
// joules, US dollars), so a bandwidth can never be passed where a capacity is expected.

/// <summary>A size in bytes. Decimal (GB) and binary (GiB) prefixes are resolved at parse time.</summary>
public readonly record struct Bytes(double Value) : IComparable<Bytes>
{
    public static readonly Bytes Zero = new(0);
    public static Bytes FromGiB(double gib) => new(gib * 1024d * 1024 * 1024);
    public static Bytes FromGB(double gb) => new(gb * 1e9);
    public double GB => Value / 1e9;
    public double GiB => Value / (1024d * 1024 * 1024);
    public static Bytes operator +(Bytes a, Bytes b) => new(a.Value + b.Value);
    public static Bytes operator -(Bytes a, Bytes b) => new(a.Value - b.Value);
    public static Bytes operator *(Bytes a, double k) => new(a.Value * k);
    public static Seconds operator /(Bytes a, BytesPerSecond b) => new(a.Value / b.Value);
    public static bool operator <(Bytes a, Bytes b) => a.Value < b.Value;
    public static bool operator >(Bytes a, Bytes b) => a.Value > b.Value;
    public static bool operator <=(Bytes a, Bytes b) => a.Value <= b.Value;
    public static bool operator >=(Bytes a, Bytes b) => a.Value >= b.Value;
    public int CompareTo(Bytes other) => Value.CompareTo(other.Value);
    public override string ToString() => UnitFormat.Bytes(this);
}

/// <summary>A data rate in bytes per second (decimal: 1 GB/s = 1e9 B/s).</summary>
public readonly record struct BytesPerSecond(double Value)
{
    public double GBps => Value / 1e9;
    public static BytesPerSecond FromGBps(double gbps) => new(gbps * 1e9);
    public static BytesPerSecond operator *(BytesPerSecond a, double k) => new(a.Value * k);
    public override string ToString() => UnitFormat.Rate(this);
}

/// <summary>Arithmetic rate in operations per second (FLOP/s for floating point, OP/s for integer).</summary>
public readonly record struct OpsPerSecond(double Value)
{
    public double Tera => Value / 1e12;
    public static OpsPerSecond FromTera(double t) => new(t * 1e12);
    public static OpsPerSecond operator *(OpsPerSecond a, double k) => new(a.Value * k);
    public override string ToString() => UnitFormat.Ops(this);
}

public readonly record struct Seconds(double Value) : IComparable<Seconds>
{
    public static readonly Seconds Zero = new(0);
    public static Seconds operator +(Seconds a, Seconds b) => new(a.Value + b.Value);
    public static Seconds operator *(Seconds a, double k) => new(a.Value * k);
    public static bool operator <(Seconds a, Seconds b) => a.Value < b.Value;
    public static bool operator >(Seconds a, Seconds b) => a.Value > b.Value;
    public int CompareTo(Seconds other) => Value.CompareTo(other.Value);
    public override string ToString() => UnitFormat.Time(this);
}

public readonly record struct Watts(double Value)
{
    public override string ToString() => UnitFormat.Number(Value) + " W";
}

public readonly record struct Joules(double Value)
{
    public static Joules operator +(Joules a, Joules b) => new(a.Value + b.Value);
    public override string ToString() => UnitFormat.Energy(this);
}

/// <summary>Energy to move one byte (or do one operation): stored in joules.</summary>
public readonly record struct JoulesPerByte(double Value)
{
    public double PicojoulesPerBit => Value * 1e12 / 8;
    public static JoulesPerByte FromPicojoulesPerBit(double pj) => new(pj * 8 * 1e-12);
    public override string ToString() => UnitFormat.Number(PicojoulesPerBit) + " pJ/bit";
}

public readonly record struct JoulesPerOp(double Value)
{
    public double Picojoules => Value * 1e12;
    public override string ToString() => UnitFormat.Number(Picojoules) + " pJ/op";
}

public readonly record struct Hertz(double Value)
{
    public override string ToString() => UnitFormat.Number(Value / 1e9) + " GHz";
}

public readonly record struct Usd(double Value)
{
    public override string ToString() => "$" + UnitFormat.Number(Value);
}

public readonly record struct UsdPerHour(double Value)
{
    public override string ToString() => "$" + UnitFormat.Number(Value) + "/h";
}
