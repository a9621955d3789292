namespace Fairscope;

/// <summary>A person of the synthetic world. Attributes are the generator's ground truth about a fictional person,
/// used to check what annotators and models recover; they say nothing about real people.</summary>
public sealed record Person(int Id, string FirstName, string LastName, string Gender, string Race, string Age, int Years, WorldOccupation Occupation);
