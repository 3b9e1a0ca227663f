// Typed parameter handles: the registry's check of every declaration
// against its use, typed reads (menus as enums) through every way a value
// arrives, and ranges clamped the same way on each of them.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "netcook/core/network.h"
#include "netcook/core/registry.h"

namespace netcook {
namespace {

enum class Shape { Round, Square, Star };

const MenuMapping<Shape>& shape_menu() {
  static const MenuMapping<Shape> menu{
      {Shape::Round, "round", "Round"}, {Shape::Square, "square", "Square"}, {Shape::Star, "star", "Star"}};
  return menu;
}

struct GoodParameters : ParameterSet {
  FloatPar size = real("size", "Size", 1, "A size.").clamp(0, 10);
  MenuPar<Shape> shape = menu("shape", "Shape", shape_menu(), Shape::Square, "A shape.").menu_alias("box", "square");
  IntPar count = integer("count", "Count", 2, "A count.");
};

OperatorType type_of(const ParameterSet& set) {
  OperatorType t;
  t.name = "testTOP";
  t.set_parameters(set);
  return t;
}

std::string joined(const std::vector<std::string>& errors) {
  std::string s;
  for (const auto& e : errors) s += e + "\n";
  return s;
}

TEST(ParameterHandles, EveryRegisteredTypeAgreesWithItsHandles) {
  for (const OperatorType* t : Registry::instance().types())
    EXPECT_EQ(joined(validate_parameter_bindings(*t)), "") << t->name;
  // Every operator type with parameters declares them through handles.
  for (const OperatorType* t : Registry::instance().types())
    if (!t->parameters.empty()) {
      EXPECT_NE(t->parameter_set, nullptr) << t->name;
    }
}

TEST(ParameterHandles, DeclarationOrderIsTableOrder) {
  static const GoodParameters p{};
  EXPECT_EQ(p.size.index(), 0u);
  EXPECT_EQ(p.shape.index(), 1u);
  EXPECT_EQ(p.count.index(), 2u);
  const OperatorType t = type_of(p);
  EXPECT_EQ(t.parameter_names(), (std::vector<std::string>{"size", "shape", "count"}));
  EXPECT_EQ(t.parameters[1].menu_names(), (std::vector<std::string>{"round", "square", "star"}));
  EXPECT_EQ(t.parameters[1].default_value, ParValue(std::string("square")));
  EXPECT_EQ(joined(validate_parameter_bindings(t)), "");
}

TEST(ParameterHandles, RegistrationRejectsAHandleOfAnotherType) {
  static const GoodParameters p{};
  OperatorType t = type_of(p);
  t.parameters[2] = par::real("count", "Count", 2, "Now a float.");
  const std::string e = joined(validate_parameter_bindings(t));
  EXPECT_NE(e.find("handle 'count' (int, index 2) reads a float parameter"), std::string::npos) << e;
}

TEST(ParameterHandles, RegistrationRejectsATableThatMovedUnderItsHandles) {
  static const GoodParameters p{};
  OperatorType t = type_of(p);
  t.parameters.insert(t.parameters.begin(), par::toggle("extra", "Extra", false, "Inserted first."));
  std::string e = joined(validate_parameter_bindings(t));
  EXPECT_NE(e.find("handle 'size' (float, index 0) finds parameter 'extra'"), std::string::npos) << e;
  t.parameters.resize(1);
  e = joined(validate_parameter_bindings(t));
  EXPECT_NE(e.find("handle 'count' (int, index 2) points past the parameter table"), std::string::npos) << e;
}

TEST(ParameterHandles, RegistrationRejectsMenuEntriesThatDifferFromTheEnumMapping) {
  static const GoodParameters p{};
  OperatorType t = type_of(p);
  t.parameters[1].menu.pop_back();  // 'star' no longer an entry
  const std::string e = joined(validate_parameter_bindings(t));
  EXPECT_NE(e.find("menu entries {round square} differ from the enum mapping's {round square star}"), std::string::npos)
      << e;
}

// A mapping that leaves an enumerator without a token (Square) or gives
// one two: registration names the problem.
enum class Gap { A, B, C };
const MenuMapping<Gap>& gap_menu() {
  static const MenuMapping<Gap> menu{{Gap::A, "a", "A"}, {Gap::C, "c", "C"}};
  return menu;
}
const MenuMapping<Gap>& twice_menu() {
  static const MenuMapping<Gap> menu{{Gap::A, "a", "A"}, {Gap::A, "b", "B"}, {Gap::C, "c", "C"}};
  return menu;
}
struct BadMenuParameters : ParameterSet {
  MenuPar<Gap> gap = menu("gap", "Gap", gap_menu(), Gap::A, "B has no token.");
  MenuPar<Gap> twice = menu("twice", "Twice", twice_menu(), Gap::A, "A has two tokens.");
  MenuPar<Gap> nodefault = menu("nodefault", "No Default", gap_menu(), Gap::B, "The default has no token.");
};

TEST(ParameterHandles, RegistrationRejectsAMenuMappingThatIsNotOneToOne) {
  static const BadMenuParameters p{};
  const std::string e = joined(validate_parameter_bindings(type_of(p)));
  EXPECT_NE(e.find("'gap' (menu, index 0): menu mapping: token 'c' maps to enum value 2, outside 0..1"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("'twice' (menu, index 1): menu mapping: enum value 0 has two tokens"), std::string::npos) << e;
  EXPECT_NE(e.find("'nodefault' (menu, index 2): menu mapping: the default is not an entry"), std::string::npos) << e;
}

// Evaluates every expression to the value it was made with.
class ConstantEngine : public ExpressionEngine {
 public:
  struct Constant : Expression {
    explicit Constant(ParValue v) : value(std::move(v)) {}
    const std::string& source() const override { return text; }
    ParValue value;
    std::string text = "constant";
  };
  std::shared_ptr<Expression> compile(const std::string&, const SourceLocation&) override { return nullptr; }
  ParValue evaluate(const Expression& e, Operator&, const ParameterSpec&) override {
    return static_cast<const Constant&>(e).value;
  }
};

class HandleOperator : public TopOperator {
 public:
  using TopOperator::TopOperator;
  void cook(const CookContext&) override {}
};

struct HandleFixture : ::testing::Test {
  HandleFixture() {
    type.create = make_factory<HandleOperator>();
    op = &net.root().add_child(type.create(type, "op1", &net.root(), net));
    net.expressions = &engine;
  }
  void set_expression(const std::string& name, ParValue v) {
    op->par(name).set_expression(std::make_shared<ConstantEngine::Constant>(std::move(v)));
  }
  static const GoodParameters& pars() {
    static const GoodParameters p{};
    return p;
  }
  OperatorType type = type_of(pars());
  Network net;
  ConstantEngine engine;
  Operator* op = nullptr;
};

TEST_F(HandleFixture, MenusReadAsEnumsWhateverSetThem) {
  EXPECT_EQ(pars().shape.eval(*op), Shape::Square);  // the default
  op->par("shape").set_constant(std::string("star"));
  EXPECT_EQ(pars().shape.eval(*op), Shape::Star);
  op->par("shape").set_constant(std::int64_t{0});  // by index
  EXPECT_EQ(pars().shape.eval(*op), Shape::Round);
  op->par("shape").set_constant(std::string("box"));  // a menu alias
  EXPECT_EQ(pars().shape.eval(*op), Shape::Square);
  set_expression("shape", std::string("star"));
  EXPECT_EQ(pars().shape.eval(*op), Shape::Star);
  op->par("shape").set_mode(ParameterMode::Constant);  // back to the constant, without losing it
  EXPECT_EQ(pars().shape.eval(*op), Shape::Square);
  op->par("shape").reset();
  EXPECT_EQ(pars().shape.eval(*op), Shape::Square);
}

TEST_F(HandleFixture, RangesClampConstantsAndExpressionsAlike) {
  op->par("size").set_constant(25.0);
  EXPECT_EQ(pars().size.eval(*op), 10.0);
  op->par("size").set_constant(-3.0);
  EXPECT_EQ(pars().size.eval(*op), 0.0);
  set_expression("size", 4096.0);
  EXPECT_EQ(pars().size.eval(*op), 10.0);
  set_expression("size", std::int64_t{-7});
  EXPECT_EQ(pars().size.eval(*op), 0.0);
  EXPECT_NE(type.parameters[0].help.find("Clamped to [0, 10]"), std::string::npos) << type.parameters[0].help;
}

TEST_F(HandleFixture, AHandleOfAnotherOperatorTypeRefusesToRead) {
  static const GoodParameters other{};
  EXPECT_EQ(pars().count.eval(*op), 2);
  EXPECT_THROW(other.count.eval(*op), std::logic_error);
}

}  // namespace
}  // namespace netcook
